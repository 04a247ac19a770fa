"""Data Docs pages that never carry a value from the data as raw HTML (no stored XSS).

GX 1.x renders the failing values of a result (``partial_unexpected_list``,
``partial_unexpected_counts``, ``unexpected_index_list``, a string ``observed_value``, the
``unexpected_index_query``, an exception traceback) into the validation pages as table cells
or templates, which its Jinja templates (``*.j2``: no autoescape) write unescaped. A landing
postal code ``<img src=x onerror=alert(document.domain)>`` therefore became live markup in
``.../data_docs/local_site/validations/...html``. GX escapes only string-template *params*.

The fix uses GX's own, documented switch: the site's ``validations`` section is rendered by
``EscapedValidationResultsPageRenderer`` (``site_section_builders.validations.renderer`` in
the site config, set by ``escaped_docs_site``), which renders a copy of each stored result
whose ``result`` strings (values and keys, recursively) and exception tracebacks are
HTML-escaped. The stored results, the checkpoint's in-memory results and hence the gate's
report (``GateReport``, ``gate_report.json``) keep the real values. The exception *message*
is left alone: GX renders it as a param and escapes it itself (escaping it here too would
show ``&amp;#x27;``); no other result string of the gate's expectations is a param.
"""

from __future__ import annotations

import copy
import html
from typing import Any

from great_expectations.render.renderer import ValidationResultsPageRenderer

RENDERER = {
    "module_name": __name__,
    "class_name": "EscapedValidationResultsPageRenderer",
}


def html_escaped(value: Any) -> Any:
    """``value`` with every string in it HTML-escaped (``< > & " '``), dicts' keys included
    (so keys still match the escaped ``unexpected_index_column_names``); other types as is."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {html_escaped(k): html_escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [html_escaped(v) for v in value]
    return value


def escaped_for_html(validation_results: Any) -> Any:
    """A deep copy of a suite's validation results, ready to be rendered into HTML: each
    expectation result's ``result`` and exception traceback(s) escaped (see module doc)."""
    escaped = copy.deepcopy(validation_results)
    for expectation_result in escaped.results:
        if expectation_result.result:
            expectation_result.result = html_escaped(expectation_result.result)
        info = expectation_result.exception_info or {}
        # one {raised_exception, exception_message, exception_traceback} or one per metric
        for entry in [info, *info.values()]:
            if isinstance(entry, dict) and isinstance(entry.get("exception_traceback"), str):
                entry["exception_traceback"] = html.escape(entry["exception_traceback"])
    return escaped


class EscapedValidationResultsPageRenderer(ValidationResultsPageRenderer):
    """GX's validation page renderer, fed an HTML-escaped copy of the results."""

    def render(self, validation_results: Any, *args: Any, **kwargs: Any) -> Any:
        return super().render(escaped_for_html(validation_results), *args, **kwargs)


def escaped_docs_site(site_config: dict) -> dict:
    """``site_config`` with its validation pages rendered by the escaping renderer."""
    site = copy.deepcopy(dict(site_config))
    sections = site.setdefault("site_section_builders", {})
    sections.setdefault("validations", {})["renderer"] = dict(RENDERER)
    return site
