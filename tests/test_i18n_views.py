"""Every text a result view shows comes from the i18n catalogue, in the page's language only.

Each family's small scenario (tests/test_paths.py) runs on the seed territory; its map overlays
(captions, hover values) and its time-series figure (title, axis labels, legend, categorical ticks)
are rendered in French and in English. A text must be the rendering of a catalogue entry of that
language (its placeholders filled with numbers, the outcome's variant names or other catalogue
renderings), and must not contain a piece of an entry of the other language.
"""

from __future__ import annotations

import re
from string import Formatter

import pytest
from bokeh.models import Axis, FactorRange, LegendItem, Title

from tests.test_paths import FAMILY_CASES
from twin.app import views  # noqa: F401 - the views' own strings (res_*) join the catalogue first
from twin.app.i18n import LANGS, METHOD_LABELS, STRINGS

CASES = {**FAMILY_CASES,
         # the other day method of roadworks: its title names the method, translated
         "roadworks-hourly": {**FAMILY_CASES["roadworks"], "day_method": "hourly"}}

ENTRIES = {**{key: pair for key, pair in STRINGS.items()},
           **{f"method:{method}": pair for method, pair in METHOD_LABELS.items()}}
"""Every entry a view may render: the interface strings and the roadworks day methods."""


def _parts(template: str) -> list[tuple[str, str | None]]:
    return [(literal, field) for literal, field, _, _ in Formatter().parse(template)]


def _pattern(template: str) -> re.Pattern | None:
    """The template as a regular expression, each placeholder a group; None for a template that is
    only a placeholder (it renders data — a variant's name — said apart)."""
    parts = _parts(template)
    if all(not literal for literal, _ in parts):
        return None
    return re.compile("".join(re.escape(literal) + ("(.+?)" if field is not None else "") for literal, field in parts))


PATTERNS = {lang: [p for pair in ENTRIES.values() if (p := _pattern(pair[LANGS.index(lang)])) is not None]
            for lang in LANGS}


def _fragments(lang: str) -> set[str]:
    """The words of ``lang``'s entries that the other language never uses: the literal pieces (three
    letters or more) of the entries whose two renderings differ, absent from every other-language template."""
    other = [pair[1 - LANGS.index(lang)] for pair in ENTRIES.values()]
    pieces = set()
    for pair in ENTRIES.values():
        if pair[0] == pair[1]:
            continue
        for literal, _ in _parts(pair[LANGS.index(lang)]):
            piece = literal.strip()
            if re.search(r"[^\W\d_]{3,}", piece) and not any(piece in o for o in other):
                pieces.add(piece)
    return pieces


FRAGMENTS = {lang: _fragments(lang) for lang in LANGS}


def is_catalogue_text(text: str, lang: str, names: set[str]) -> bool:
    """``text`` is a rendering of a ``lang`` catalogue entry, or one of the outcome's variant ``names``;
    a placeholder's value with letters in it must itself be one of those."""
    if text in names:
        return True
    for pattern in PATTERNS[lang]:
        m = pattern.fullmatch(text)
        if m and all(not re.search(r"[^\W\d_]", g) or is_catalogue_text(g, lang, names) for g in m.groups()):
            return True
    return False


def foreign_pieces(text: str, lang: str, names: set[str]) -> list[str]:
    """The pieces of the other language's entries found in ``text`` (the variant names taken out first:
    they are data, the same in both languages)."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    other = LANGS[1 - LANGS.index(lang)]
    return sorted(p for p in FRAGMENTS[other] if p in text)


def figure_texts(fig) -> list[tuple[str, str]]:
    """What a Bokeh figure writes, as (kind, text): its title, axis labels, legend labels and categorical ticks."""
    if fig is None:
        return []
    texts = []
    for model in fig.references():
        if isinstance(model, Title):
            texts.append(("title", model.text))
        elif isinstance(model, Axis):
            texts.append(("axis", model.axis_label))
        elif isinstance(model, LegendItem):
            texts.append(("legend", getattr(model.label, "value", model.label)))
        elif isinstance(model, FactorRange):
            texts.extend(("tick", f) for f in model.factors)
    return [(kind, str(x)) for kind, x in texts if x]


def view_texts(outcome, sources: dict, lang: str) -> dict[str, str]:
    """Every text the result views show for ``outcome`` in ``lang`` -> where it is shown."""
    from twin.app import results

    overlays, captions = results.overlays_for(outcome, sources, lang)
    shown = dict.fromkeys(captions, "caption")
    for layer, overlay in overlays.items():
        for column, values in overlay.items():
            if column != "color":
                shown.update({v: f"{layer} {column}" for v in values if isinstance(v, str) and v})
    shown.update({x: f"figure {kind}" for kind, x in figure_texts(results.series_figure(outcome, lang))})
    return shown


@pytest.fixture(scope="module")
def shown():
    """{(case, lang): ({text: where}, variant names)} of every family's small run on the seed territory."""
    from twin.app.mapview import territory_map
    from twin.scenarios import SCENARIOS
    from twin.seeds import load_default

    territory = load_default()
    sources: dict = {}
    territory_map(territory, "fr", sources=sources)  # the result map's layers, as the app makes them
    out = {}
    for case, spec in CASES.items():
        outcome = SCENARIOS[spec["family"]].from_dict(spec).run(territory)
        names = {str(v) for v in outcome.data["variant"].values}
        for lang in LANGS:
            out[case, lang] = view_texts(outcome, sources, lang), names
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_text_of_a_result_view_is_a_catalogue_entry_of_its_language(shown, case, lang):
    texts, names = shown[case, lang]
    assert any(where.endswith("caption") for where in texts.values()), f"{case}: no caption shown"
    unknown = {x: where for x, where in texts.items() if not is_catalogue_text(x, lang, names)}
    assert not unknown, f"{case} ({lang}): texts not in twin/app/i18n.py: {unknown}"
    mixed = {x: foreign_pieces(x, lang, names) for x in texts if foreign_pieces(x, lang, names)}
    assert not mixed, f"{case} ({lang}): texts with the other language's words: {mixed}"


def test_the_two_languages_show_different_texts(shown):
    """The English page is not the French one: no caption, figure title or legend is the same in both."""
    for case in CASES:
        fr, en = shown[case, "fr"][0], shown[case, "en"][0]
        for where in ("caption", "figure title", "figure legend"):
            a = {x for x, w in fr.items() if w.endswith(where)}
            b = {x for x, w in en.items() if w.endswith(where)}
            assert not (a & b), f"{case}: the same {where} in French and English: {a & b}"


def test_the_check_refuses_inline_and_wrong_language_texts():
    """The checks above can fail: a text written in a view, a French caption on the English page,
    an untranslated method in a French title."""
    names = {"baseline", "works"}
    caption_fr, caption_en = STRINGS["closure_caption"]
    assert is_catalogue_text(caption_fr, "fr", names) and is_catalogue_text(caption_en, "en", names)
    assert not is_catalogue_text("Closed streets in blue", "en", names)
    assert not is_catalogue_text(caption_fr, "en", names)
    assert caption_fr in foreign_pieces(caption_fr, "en", names)
    method = "every hour of the window assigned"
    title = STRINGS["roadworks_title_method"][0].format(method=method)
    assert not is_catalogue_text(title, "fr", names)
    assert method in foreign_pieces(title, "fr", names)
    assert is_catalogue_text(STRINGS["bins_hover"][0].format(hours="3,5"), "fr", names)
    assert not is_catalogue_text("3,5 h/week", "fr", names)
