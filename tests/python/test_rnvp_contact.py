"""RNVP contact points: email syntax check and French phone numbers in E.164."""

from __future__ import annotations

import pytest

from rnvp.contact import normalise_email, phone_e164


@pytest.mark.parametrize(("raw", "expected"), [
    ("  Jean.Dupont@Example.FR ", "jean.dupont@example.fr"),
    ("marie+promo@orange.fr", "marie+promo@orange.fr"),
    ("élodie@exemple.fr", "élodie@exemple.fr"),  # internationalised local part is valid
])
def test_valid_email_is_trimmed_and_lower_cased(raw: str, expected: str) -> None:
    assert normalise_email(raw) == {"email_normalized": expected, "problem": None}


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_missing_email(raw: str | None) -> None:
    assert normalise_email(raw) == {"email_normalized": None, "problem": "email_missing"}


@pytest.mark.parametrize("raw", [
    "jean.dupont", "jean@", "@orange.fr", "jean..dupont@orange.fr", "jean@orange",
    "jean dupont@orange.fr", "jean@localhost", "a@b@orange.fr",
])
def test_invalid_email(raw: str) -> None:
    assert normalise_email(raw) == {"email_normalized": None, "problem": "email_invalid"}


@pytest.mark.parametrize("raw", [
    "0612345678", "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678",
    "+33 (0)6 12 34 56 78", "612345678",
])
def test_french_mobile_formats_give_one_e164(raw: str) -> None:
    assert phone_e164(raw) == {"phone_e164": "+33612345678", "phone_type": "mobile", "problem": None}


def test_landline_and_foreign_numbers() -> None:
    assert phone_e164("01 23 45 67 89")["phone_e164"] == "+33123456789"
    assert phone_e164("01 23 45 67 89")["phone_type"] == "fixed_line"
    assert phone_e164("07 81 23 45 67")["phone_type"] == "mobile"
    assert phone_e164("+44 20 7946 0958")["phone_e164"] == "+442079460958"


def test_overseas_number_needs_its_region() -> None:
    # a Reunion mobile written the national way is not a valid number of metropolitan France
    assert phone_e164("0692 12 34 56") == {"phone_e164": None, "phone_type": None, "problem": "phone_invalid"}
    assert phone_e164("0692 12 34 56", "RE")["phone_e164"] == "+262692123456"
    assert phone_e164("+262 692 12 34 56")["phone_e164"] == "+262692123456"
    assert phone_e164("+262 692 12 34 56")["phone_type"] == "mobile"


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_missing_phone(raw: str | None) -> None:
    assert phone_e164(raw) == {"phone_e164": None, "phone_type": None, "problem": "phone_missing"}


@pytest.mark.parametrize("raw", ["abc", "0612345", "061234567890", "06 12 34 56 7A", "0012345678"])
def test_invalid_phone(raw: str) -> None:
    assert phone_e164(raw) == {"phone_e164": None, "phone_type": None, "problem": "phone_invalid"}
