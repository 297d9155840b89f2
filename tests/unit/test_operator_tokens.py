"""Named operator tokens: SOUQ_OPERATOR_TOKENS parsing, and token -> name. Pure."""

from __future__ import annotations

import pytest

from core.config import Settings, parse_operator_tokens
from service.operators import operator_for_token

SAMI = "s" * 24
RANA = "Rana-token_0123456789.~+/="


def test_names_map_to_tokens_with_spaces_around_entries_ignored():
    assert parse_operator_tokens(f" sami:{SAMI} , رنا:{RANA}") == {"sami": SAMI, "رنا": RANA}


def test_empty_means_no_operator():
    assert parse_operator_tokens("") == {} and parse_operator_tokens("  ") == {}
    assert Settings().operators == {}  # no default token works anywhere


@pytest.mark.parametrize("raw, says", [
    ("justatokenwithoutanyname1234", "must be name:token"),
    (f"sami:{SAMI},", "entry 2 must be name:token"),
    (f":{SAMI}", "must be name:token"),
    ("sami:", "must be name:token"),
    (f"sa mi:{SAMI}", "the name must be"),
    (f"-sami:{SAMI}", "the name must be"),
    (f"{'n' * 41}:{SAMI}", "the name must be"),
    ("sami:short-token", "24 to 256 characters"),
    (f"sami:{'x' * 257}", "24 to 256 characters"),
    (f"sami:{'x' * 23}é", "24 to 256 characters"),
    (f"sami:{SAMI},sami:{RANA}", "entry 2: the name is already entry 1's"),
    (f"{SAMI}:sami", "entry 1: the token must be"),  # swapped: the "name" is the secret
    (f"sami:{SAMI},rana:{SAMI}", "already another operator's"),
])
def test_malformed_values_name_the_variable_and_never_the_token(raw, says):
    with pytest.raises(ValueError) as caught:
        parse_operator_tokens(raw)
    message = str(caught.value)
    assert message.startswith("SOUQ_OPERATOR_TOKENS") and says in message
    assert SAMI not in message and RANA not in message and "sami" not in message


def test_settings_refuse_a_malformed_value_from_the_environment():
    with pytest.raises(ValueError, match="SOUQ_OPERATOR_TOKENS"):
        Settings.from_env({"SOUQ_OPERATOR_TOKENS": "sami:short"})
    settings = Settings.from_env({"SOUQ_OPERATOR_TOKENS": f"sami:{SAMI}"})
    assert settings.operators == {"sami": SAMI}
    assert Settings.from_env(settings.to_env()) == settings  # child processes get the same operators


def test_a_token_resolves_to_its_operator_and_nothing_else_does():
    operators = {"sami": SAMI, "rana": RANA}
    assert operator_for_token(operators, SAMI) == "sami"
    assert operator_for_token(operators, RANA) == "rana"
    for wrong in ("", SAMI[:-1], SAMI + "s", "sami", "\udcff" * 30, "é" * 30):
        assert operator_for_token(operators, wrong) is None
    assert operator_for_token({}, SAMI) is None
