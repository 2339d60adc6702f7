"""Plain ``twin app`` (no ``--workshop``: no join code) used as a workshop: the tab says the votes are
not checked and states the voting rule; a vote is taken back only by the page that cast it (a second
page joining under the same name cannot); names that look alike are flagged in the participants list.
The real page built in-process, as in tests/test_workshop.py."""

from __future__ import annotations

import html
import json

import pytest

from tests.test_workshop import _cards, _join, _page, _said, closure, workshop_env  # noqa: F401 - fixtures by name
from twin.app.variants import Variant, VariantStore
from twin.app.workshop_state import WorkshopError, WorkshopState


@pytest.fixture()
def free(monkeypatch):
    """A server started as plain ``twin app``: no join code, no facilitator token."""
    from twin.app.workshop import CODE_ENV, FACILITATOR_ENV

    monkeypatch.delenv(CODE_ENV, raising=False)
    monkeypatch.delenv(FACILITATOR_ENV, raising=False)


def _quai(tmp_path, closure):  # noqa: F811
    from twin.app.variants import outcome_rows

    store = VariantStore(tmp_path / "variants")
    return store, store.save(Variant("Quai", "street-closure", "redon", {}, outcome_rows(closure)))


def _vote_button(app, vid):
    return app._workshop_cards[vid][1]


# --- the pure rules --------------------------------------------------------------------------------

def test_names_that_look_alike_are_grouped_and_distinct_names_are_not():
    from twin.app.workshop_state import names_alike, similar_names

    room = ["Jean Martin", "Marie Dupont", "Jean Martin 2", "J. Martin", "Ballot Bourrage", "Marc Dupuis"]
    assert similar_names(room) == [["Jean Martin", "Jean Martin 2", "J. Martin"]]
    for a, b in [("Jean Martin", "JEAN  MARTIN"), ("Hélène Léger", "helene leger"),
                 ("Jean-Pierre Roux", "J.-P. Roux"), ("Jean Martin", "jean martin2"), ("Jean Martin", "Martin Jean"),
                 ("Élise", "elise.")]:
        assert names_alike(a, b) and names_alike(b, a), (a, b)
    for a, b in [("Marie Dupont", "Marc Dupuis"), ("Marie Dupont", "Marie Dupuis"), ("Jean Martin", "Jeanne Martin"),
                 ("Jean Martin", "Jacques Martin"), ("Table 1", "Table 2"), ("Jean", "Jean Martin"),
                 ("J. M.", "Jean Martin"), ("Anne", "A."), ("Service voirie", "Service eau")]:
        assert not names_alike(a, b), (a, b)
    assert similar_names([]) == [] and similar_names(["Anne"]) == []


def test_a_vote_tied_to_a_session_is_taken_back_by_that_session_only(tmp_path):
    state = WorkshopState(tmp_path)
    vid = "0123456789"
    state.vote(vid, "Marie Dupont", session="page-a")
    assert state.cast_here(vid, "marie dupont", "page-a") and not state.cast_here(vid, "Marie Dupont", "page-b")
    assert state.cast_here(vid, "Marie Dupont", None)  # a workshop: the name is proven by the code
    with pytest.raises(WorkshopError) as e:
        state.vote(vid, "Marie Dupont", on=False, session="page-b")
    assert e.value.key == "workshop_not_your_vote" and state.votes() == {vid: ["Marie Dupont"]}
    recorded = json.loads(next((tmp_path / "atelier" / "votes" / vid).glob("*.json")).read_text())
    assert "page-a" not in json.dumps(recorded)  # a hash of the key, not the key the address carries
    state.vote(vid, "Marie Dupont", on=False, session="page-a")
    assert state.votes() == {}
    assert not state.cast_here(vid, "Marie Dupont", "page-a")  # no vote: nothing to take back


def test_a_vote_saved_before_sessions_were_recorded_still_loads_and_is_taken_back_by_name(tmp_path):
    state = WorkshopState(tmp_path)
    state.vote("abcdefabcd", "Anne Martin")  # as every vote was written before: {"name", "at"}
    path = next((tmp_path / "atelier" / "votes" / "abcdefabcd").glob("*.json"))
    assert set(json.loads(path.read_text())) == {"name", "at"}
    assert state.votes() == {"abcdefabcd": ["Anne Martin"]}
    assert state.cast_here("abcdefabcd", "Anne Martin", "any-page")
    state.vote("abcdefabcd", "Anne Martin", on=False, session="any-page")
    assert state.votes() == {}


# --- the tab -------------------------------------------------------------------------------------------

def test_free_mode_says_the_votes_are_not_checked_and_states_the_rule(tmp_path, free):
    app = _page(VariantStore(tmp_path / "variants"))
    assert not app.workshop_mode and app.workshop_rule.visible
    said = html.unescape(app.workshop_rule.object)
    assert "alert-warning" in said and "Votes non vérifiés" in said
    assert "chacun peut voter sous n'importe quel nom" in said and "pas un scrutin" in said
    assert "<code style='white-space:nowrap'>twin app --workshop</code>" in said  # one piece, never wrapped
    assert "Chacun peut soutenir plusieurs variantes, une voix par variante" in said
    assert "Seule la page qui a voté peut retirer son vote" in said
    from twin.app.main import TwinApp

    english = html.unescape(TwinApp("redon", "en", store=VariantStore(tmp_path / "v2")).workshop_rule.object)
    assert "Votes are not checked" in english and "one vote per variant" in english and "twin app --workshop" in english


def test_a_workshop_states_the_rule_without_the_warning(tmp_path, workshop_env):  # noqa: F811
    app = _page(VariantStore(tmp_path / "variants"))
    said = html.unescape(app.workshop_rule.object)
    assert "une voix par variante" in said
    # the pack names the voters (« Votants »), the page showed counts only: said before anyone votes
    assert "Le vote est nominatif : le dossier de séance nomme qui a soutenu chaque variante" in said
    assert "Votes non vérifiés" not in said and "alert" not in said and "Seule la page" not in said


def test_a_second_page_under_the_same_name_cannot_take_the_vote_back(tmp_path, free, closure):  # noqa: F811
    store, quai = _quai(tmp_path, closure)
    marie, other = _page(store), _page(store)
    _join(marie, "Marie Dupont", code="")
    marie._workshop_vote(quai.id)
    assert _cards(marie)["Quai"][0] == 1 and _vote_button(marie, quai.id).name == "Retirer mon vote"
    _join(other, "Marie Dupont", code="")  # another browser, the same name: nothing proves who is who
    button = _vote_button(other, quai.id)
    assert button.name != "Retirer mon vote" and button.disabled
    assert button.name == "Déjà voté sous ce nom"
    other._workshop_vote(quai.id)  # a stale page or a crafted click
    assert "seule cette page peut le retirer" in _said(other)
    assert WorkshopState(store.dir).votes() == {quai.id: ["Marie Dupont"]}
    # the page that voted takes it back; the other page follows at its next look
    marie._workshop_vote(quai.id)
    assert WorkshopState(store.dir).votes() == {}
    other._workshop_poll()
    assert _vote_button(other, quai.id).name == "Voter" and not _vote_button(other, quai.id).disabled


def test_a_reloaded_page_keeps_its_votes_its_own(tmp_path, free, closure):  # noqa: F811
    """The address of a page that joined carries its key (``?session=…``): reloaded, it may still take
    its vote back; a made-up key does not make a page another's."""
    from twin.app.workshop import NAME_ARG, SESSION_ARG

    store, quai = _quai(tmp_path, closure)
    marie = _page(store)
    _join(marie, "Marie Dupont", code="")
    marie._workshop_vote(quai.id)
    again = _page(store)
    again._workshop_recall({NAME_ARG: [b"Marie Dupont"], SESSION_ARG: [marie._workshop_session.encode()]})
    again._render_workshop()
    assert again.participant == "Marie Dupont" and _vote_button(again, quai.id).name == "Retirer mon vote"
    forged = _page(store)
    forged._workshop_recall({NAME_ARG: [b"Marie Dupont"], SESSION_ARG: [b"0" * 32]})
    forged._render_workshop()
    assert _vote_button(forged, quai.id).disabled
    again._workshop_vote(quai.id)
    assert WorkshopState(store.dir).votes() == {}


def test_a_workshop_participant_still_takes_back_their_vote_from_another_page(
        tmp_path, workshop_env, closure):  # noqa: F811
    """In ``--workshop`` the code (and the address's token) prove the name: one person may vote from a
    laptop and take the vote back from a phone, as before."""
    store, quai = _quai(tmp_path, closure)
    laptop, phone = _page(store), _page(store)
    _join(laptop, "Anne")
    laptop._workshop_vote(quai.id)
    _join(phone, "Anne")
    assert _vote_button(phone, quai.id).name == "Retirer mon vote"
    phone._workshop_vote(quai.id)
    assert WorkshopState(store.dir).votes() == {}


def test_the_participants_list_flags_names_that_look_alike(tmp_path, free, closure):  # noqa: F811
    store, quai = _quai(tmp_path, closure)
    app = _page(store)
    for name in ("Jean Martin", "Jean Martin 2", "J. Martin", "Ballot Bourrage", "Marie Dupont", "Marc Dupuis"):
        _join(app, name, code="")
        app._workshop_vote(quai.id)
    spread = html.unescape(app.workshop_spread.object)
    assert "Participants (6)" in spread
    assert "Noms proches : Jean Martin, Jean Martin 2, J. Martin — peut-être une seule personne." in spread
    assert spread.count("Noms proches") == 1  # Marie Dupont and Marc Dupuis are two people
