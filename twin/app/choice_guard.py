"""Enter in a name picker takes a name only when it is the one typed, give or take a typo.

Bokeh's MultiChoice (Choices.js) takes the first result of its fuzzy search on Enter: « Rue de la Paix »,
a street the town has not, became « Rue de la Maillardaie », its biggest street (89 spaces removed, no
word said) — a planner and a parking officer both fell in. Bokeh gives no setting for the search's
tolerance, so a script of the page stops that Enter (capture phase, before Choices.js sees it) when a word
of what was typed matches no word of the highlighted name, and says so under the box; a typo (« Grnde
Rue », « Charle Silard ») or a name's start (« Mail ») still takes the name.

The rule is :func:`typed_matches` (the script does the same, tested against it in a real browser).
"""

from __future__ import annotations

import json
import unicodedata

from twin.app.i18n import STRINGS

LINK_WORDS = ("rue", "avenue", "place", "quai", "impasse", "allee", "boulevard", "chemin", "route", "square",
              "cours", "promenade", "rond", "point", "faubourg", "venelle", "ruelle", "passage", "sentier",
              "des", "les", "aux", "sur", "sous", "the", "and", "street", "road")
"""Words that say what a name is, not which one: « Rue de la Paix » is not « Rue de la Maillardaie »
for sharing « rue »."""
MIN_WORD = 3
"""Words shorter than this (de, la, st) are not compared."""
SIMILAR = 0.7
"""[-] a typed word matches a word of the name from this similarity (1 − edits / longer length)."""


def words(text: str) -> list[str]:
    """The comparable words of ``text``: without accents or case, apostrophes and hyphens as spaces."""
    plain = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()
    for c in "'’-_.,()/":
        plain = plain.replace(c, " ")
    return [w for w in plain.split() if len(w) >= MIN_WORD and w not in LINK_WORDS]


def _edits(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def typed_matches(typed: str, name: str) -> bool:
    """Whether ``name`` is what ``typed`` asks for: each word typed is the start of a word of the name or
    like one (:data:`SIMILAR`); typing only link words (« rue de la ») takes any name."""
    have = words(name)
    return all(any(h.startswith(w) or 1 - _edits(w, h) / max(len(w), len(h)) >= SIMILAR for h in have)
               for w in words(typed))


_SCRIPT = """<script>(function(){
if (window.twinChoiceGuard) return; window.twinChoiceGuard = true;
var LINK = %(link)s, MIN = %(min)d, SIMILAR = %(similar)s, SAY = %(say)s;
function words(s){ s = s.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').toLowerCase().replace(/['\\u2019\\-_.,()\\/]/g,' ');
  return s.split(/\\s+/).filter(function(w){ return w.length >= MIN && LINK.indexOf(w) < 0; }); }
function edits(a,b){ var row=[]; for (var j=0;j<=b.length;j++) row.push(j);
  for (var i=1;i<=a.length;i++){ var prev=row[0]; row[0]=i;
    for (var j=1;j<=b.length;j++){ var cur=row[j]; row[j]=Math.min(row[j]+1,row[j-1]+1,prev+(a[i-1]!==b[j-1]?1:0)); prev=cur; } }
  return row[b.length]; }
function matches(typed,name){ var have=words(name);
  return words(typed).every(function(w){ return have.some(function(h){
    return h.indexOf(w)===0 || 1-edits(w,h)/Math.max(w.length,h.length) >= SIMILAR; }); }); }
document.addEventListener('keydown', function(ev){
  if (ev.key !== 'Enter') return;
  var input = ev.composedPath()[0];
  if (!input || !input.classList || !input.classList.contains('choices__input')) return;
  var root = input.getRootNode(), typed = input.value || '';
  var old = root.querySelector('.twin-choice-guard'); if (old) old.remove();
  var hit = root.querySelector('.choices__list--dropdown .choices__item--selectable.is-highlighted');
  if (!hit || !typed.trim() || matches(typed, hit.textContent || '')) return;
  ev.stopImmediatePropagation(); ev.preventDefault();
  var note = document.createElement('div'); note.className = 'twin-choice-guard';
  note.textContent = SAY.replace('{typed}', typed.trim()).replace('{name}', (hit.textContent || '').trim());
  note.style.cssText = 'color:#b3261e;font-size:13px;margin:2px 0 4px';
  // above the box: the open list covers what is under it
  var box = input.closest('.choices'); if (box && box.parentNode) box.parentNode.insertBefore(note, box); else root.appendChild(note);
  input.addEventListener('input', function(){ note.remove(); }, {once: true});
}, true);
})();</script>"""


def choice_guard_script(lang: str = "fr") -> str:
    """The page's script (see the module docstring), its words in ``lang``."""
    return _SCRIPT % {"link": json.dumps(list(LINK_WORDS)), "min": MIN_WORD, "similar": SIMILAR,
                      # the template itself: the script fills {typed} and {name}
                      "say": json.dumps(STRINGS["forms_enter_not_taken"][0 if lang == "fr" else 1])}
