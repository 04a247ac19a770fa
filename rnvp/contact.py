"""Email and phone normalisation: one normalised value or None, and at most one problem code."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def normalise_email(raw: str | None) -> dict:
    """{email_normalized, problem}: trimmed, lower-cased, syntax-checked (no DNS lookup).

    problem is None, 'email_missing' (null or blank) or 'email_invalid' (bad syntax, in which
    case email_normalized is None).
    """
    email = (raw or "").strip().lower()
    if not email:
        return {"email_normalized": None, "problem": "email_missing"}
    try:
        valid = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return {"email_normalized": None, "problem": "email_invalid"}
    return {"email_normalized": valid.normalized, "problem": None}


def phone_e164(raw: str | None, default_region: str = "FR") -> dict:
    """{phone_e164, phone_type, problem}: the number in E.164 (+33612345678) when it is a
    valid number, and its type from the numbering plan (SMS goes to `mobile` numbers only).

    National numbers are read as numbers of default_region. problem is None, 'phone_missing'
    (null or blank) or 'phone_invalid' (unparseable, or not a number that can be assigned).
    phone_type is one of PHONE_TYPES' values, None when there is no valid number.
    """
    text = (raw or "").strip()
    if not text:
        return {"phone_e164": None, "phone_type": None, "problem": "phone_missing"}
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return {"phone_e164": None, "phone_type": None, "problem": "phone_invalid"}
    if not phonenumbers.is_valid_number(number):
        return {"phone_e164": None, "phone_type": None, "problem": "phone_invalid"}
    return {"phone_e164": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            "phone_type": PHONE_TYPES.get(phonenumbers.number_type(number), "other"),
            "problem": None}


# libphonenumber's types, as rnvp_contacts.phone_type names them (anything else: `other`)
PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed_line",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    phonenumbers.PhoneNumberType.VOIP: "voip",
}
