"""The rule a name picker's Enter follows (twin/app/choice_guard.py); its script in a real browser:
tests/test_app_browser_forms.py::test_enter_takes_no_other_street_than_the_one_typed."""

import pytest

from twin.app.choice_guard import choice_guard_script, typed_matches, words


@pytest.mark.parametrize("typed, name, taken", [
    ("Rue de la Paix", "Rue de la Maillardaie", False),  # a street the town has not: not its biggest one
    ("zzzz", "Rue de Vannes", False),
    ("Grnde Rue", "Grande Rue", True),  # a typo
    ("Rue Charle Silard", "Rue Charles Sillard", True),
    ("quai st jacques", "Quai Saint-Jacques", True),
    ("mail", "Rue de la Maillardaie", True),  # a name's start, as one types it
    ("rue de la", "Rue de la Vilaine", True),  # only words that say what a name is
    ("ecluse", "Quai de l’Écluse", True),  # accents and a word processor's apostrophe aside
    ("Avenue Jean Burel", "Rue Jean Burel", True),
    ("Rue Jean Moulin", "Rue Jean Burel", False),
])
def test_enter_takes_the_name_typed_give_or_take_a_typo(typed, name, taken):
    assert typed_matches(typed, name) is taken


def test_the_words_compared_and_the_script_s_own():
    assert words("Quai de l'Écluse") == ["ecluse"] and words("Rue de la Paix") == ["paix"]
    fr, en = choice_guard_script("fr"), choice_guard_script("en")
    assert "n'est pas" in fr and "is not" in en and "SIMILAR = 0.7" in fr and "MIN = 3" in fr
