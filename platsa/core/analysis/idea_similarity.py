"""Ideas that say nearly the same thing, across Swedish, Norwegian and English.

Shown to a participant while they type a new idea ("this was already suggested: support
it?") and to organisers as a list of likely duplicates to merge. Decidim's check broke once
texts were machine-translated (decidim#8098); here nothing is translated and nothing is
downloaded. Each idea is cut into words by the rules of :mod:`textsearch`; its language
(sv, nb, en) is guessed from its function words and letters (251 of the 253 labelled ideas
right), only to decide which of simplemma's dictionaries (inside its wheel) lemmatises
first, since asked Swedish first simplemma turns "river" into "riva". A small hand-written
bridge maps the domain's frequent English and Norwegian lemmas to Swedish ones
("flat" -> "lägenhet", "barnehage" -> "förskola"), and the lemma is cut to its Swedish
Snowball stem ("bussarna", "busser", "buses" -> "buss"). Each lemma is also cut into
character 3-4-grams, which join what neither joins: "fibre"/"fiber", "hackaton"/
"hackathon", compounds sharing a part ("hyresrätter"/"hyreslägenheter"), typos. Both parts
are TF-IDF over the process's ideas, compared by cosine; the score is 0.5 x the word cosine
+ 0.5 x the n-gram cosine. A pair whose titles (the first line: where the proposal is
stated) disagree on negation is never shown ("Kommunen ska inte bygga hyresrätter" is no
duplicate of "Bygg hyresrätter"); negations further down are mostly description ("there is
no fibre") and are ignored. At the chosen threshold (whole set, in-sample) the title rule
raised precision from 0.76 (no rule) to 0.79 for 0.01 of recall; counting negations over
the whole text instead (per sentence) fell to P 0.72, R 0.57.

Chosen by measurement: ``bench/bench_idea_duplicates.py`` on the 253 hand-written ideas of
``tests/data/ideas_labelled.json`` (171 sv, 50 en, 32 nb; 82 duplicate groups, 195
duplicate pairs; hard negatives on the same topics). Each threshold was picked (best F1) on
the ideas of half the hand themes and scored on the other half, both ways round; held-out
pair precision / recall / F1:

=======================================================  =====  =====  =====
method                                                   P      R      F1
=======================================================  =====  =====  =====
near_duplicates.py as it is (sv Snowball, whole text)    0.53   0.29   0.37
Snowball-stem TF-IDF, sv/nb/en stop words                0.45   0.31   0.37
simplemma lemma TF-IDF                                   0.38   0.30   0.34
lemma -> Snowball key TF-IDF                             0.49   0.30   0.37
lemma key + char 3-5-grams                               0.54   0.35   0.43
char 3-5-grams only                                      0.65   0.35   0.46
lemma key + bridge                                       0.66   0.66   0.66
lemma key + bridge + char 3-4-grams, 0.5 (chosen)        0.79   0.65   0.72
the same, n-grams weighted 0.3                           0.78   0.64   0.70
the same, n-grams weighted 0.7                           0.76   0.71   0.74
the same, char 3-5-grams                                 0.73   0.65   0.69
the same, no negation rule                               0.81   0.61   0.70
wordllama 0.4 embeddings, 256-d (separate venv)          0.19   0.18   0.19
=======================================================  =====  =====  =====

The chosen method's threshold on the whole set is 0.24 (in-sample P 0.79, R 0.64). The
differences between it and its neighbours (weights 0.3/0.7, 3-5-grams) are within what 195
pairs can tell apart: they changed order between runs as ideas were lengthened, and the
chosen one had the best held-out precision of the ones with recall of 0.65 or more. The
bridge gives the largest gain, but the same person wrote it and the labelled ideas, so its
share is surely optimistic: new wording from real participants will find it less often,
and the n-grams are the part that generalises. wordllama's wheel does carry its 16 MB
weights, but its loader looks for the tokenizer in ``tokenizer/`` while the wheel ships
``tokenizers/``, and then downloads it; loaded from a copy of the wheel's own file it ran
offline, and was the least precise method here, so it is not used. A bilingual
dictionary beyond the bridge's 267 words was not tried.

Work is bounded: a text is cut to :data:`MAX_CHARS` characters before anything else, format
characters (zero-width spaces, bidi overrides) are removed so they neither split nor hide
words, and a query is one sparse matrix-vector product (among 3,000 ideas in the bench:
median 1.3 ms, p95 6.5 ms, max 15 ms, on a shared machine). Pure Python with numpy/scipy; no Django.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt
import simplemma
from scipy import sparse

from platsa.core.analysis.near_duplicates import NEGATIONS as _POLIS_NEGATIONS
from platsa.core.analysis.textsearch import STOP_WORDS, stem, words

MAX_CHARS = 2_000  # an idea is 20-800 characters; anything longer is cut, not refused
MAX_WORD_CHARS = 40  # longer "words" are URLs or pasted noise
MIN_WORD_CHARS = 2
LEMMA_LANGUAGES = ("sv", "nb", "en")  # simplemma tries them in this order

# Words of negation, kept (not dropped as stop words): those of near_duplicates.py plus the
# Swedish and Norwegian "no" and the forms it lacks.
NEGATIONS = _POLIS_NEGATIONS | frozenset(["nej", "nei", "inte", "ikke", "cannot", "inga", "ingi"])

# Norwegian stop words (most of Snowball's bokmål list, with a few nynorsk forms); with the
# Swedish and English lists of textsearch they are the words left out.
_NORWEGIAN_STOP = """
og i jeg det at en et den til er som på de med han av der så var meg seg men ett har om vi
min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal
selv her alle vil bli ble blitt kunne inn når være kom noen noe ville dere deres kun ja etter
ned skulle denne for deg si sine sitt mot å meget hvorfor dette disse uten hvordan din ditt
blir samme hvilken hvilke sånn inni mellom vår hver hvem hvis både bare enn fordi før mange
også slik vært begge siden dei eg ein eit kva kvar me mykje no noko nokre so upp vere
"""
# Modal and filler words every proposal uses ("borde", "should", "bør"): they say nothing
# about which idea it is.
_FILLER = """
borde bör kunde kan ska skall skulle vill får också även låt gör göra behöver behövs
could would should must might also please let make need needs bør må kanskje gjøre trenger
"""
STOP = (
    STOP_WORDS["sv"]
    | STOP_WORDS["en"]
    | frozenset(_NORWEGIAN_STOP.split())
    | frozenset(_FILLER.split())
) - NEGATIONS

# A small bridge for the words rural ideas use most, English and Norwegian (bokmål) lemma
# -> Swedish lemma: the vocabulary of housing, transport, work, schools, services, nature
# and events that no spelling links ("flat"/"lägenhet", "barnehage"/"förskola"). Written
# by hand from the domain, not translated by a machine; measured with and without in
# bench/bench_idea_duplicates.py (see the module docstring).
_BRIDGE_PAIRS = """
bus:buss train:tåg tog:tåg commute:pendla commuter:pendlare pendle:pendla pendler:pendlare
departure:avgång avgang:avgång morning:morgon morgen:morgon evening:kväll kveld:kväll
night:natt weekend:helg week:vecka weekly:vecka uke:vecka ukentlig:vecka year:år annual:år
road:väg vei:väg car:bil driving:körkort licence:körkort ride:åka travel:resa
flat:lägenhet apartment:lägenhet leilighet:lägenhet rent:hyra rental:hyresrätt leie:hyra
utleiebolig:hyresrätt utleieleilighet:hyresrätt house:hus housing:bostad bolig:bostad
home:hem empty:tom owner:ägare eier:ägare plot:tomt build:bygga bygge:bygga room:rum
newcomer:inflyttare tilflytter:inflyttare move:flytta flytte:flytta resident:invånare
innbygger:invånare family:familj familie:familj people:folk person:person
municipality:kommun municipal:kommun kommune:kommun village:by bygd:by grend:by
community:bygd region:region county:län state:stat council:råd
school:skola skole:skola grendeskole:byskola pupil:elev student:student teacher:lärare
preschool:förskola kindergarten:förskola barnehage:förskola childcare:barnomsorg
child:barn kid:barn parent:förälder young:ung youth:ungdom teenager:ungdom ungdom:ungdom
job:jobb work:jobb arbeid:jobb arbeidsplass:jobb worker:arbetare employee:anställd
summer:sommar sommer:sommar sommerjobb:sommarjobb winter:vinter spring:vår
company:företag business:företag bedrift:företag entrepreneur:företagare firm:företag
shop:affär store:affär butikk:affär grocery:matvara groceries:matvara food:mat lokalmat:lokal
local:lokal locally:lokal farm:gård farmer:bonde bonde:bonde meat:kött potato:potatis
cooperative:kooperativ samvirke:kooperativ samvirkelag:kooperativ share:andel
pharmacy:apotek apotek:apotek parcel:paket delivery:leverans deliver:leverera
fibre:fiber fiber:fiber broadband:bredband internet:bredband household:hushåll husstand:hushåll
mobile:mobil coverage:täckning mast:mast wifi:wifi nett:nät network:nät app:app
office:kontor desk:skrivbord kontorfellesskap:coworking coworking:coworking remote:distans
remotely:distans hjemmefra:distans
hackathon:hackathon hackaton:hackathon event:evenemang arrangement:evenemang
market:marknad marked:marknad høstmarked:höstmarknad festival:festival music:musik
river:älv elv:älv elva:älv lake:sjö innsjø:sjö fish:fisk fisk:fisk fishing:fiske
salmon:lax laks:lax trout:öring ørret:öring dam:damm hydro:vattenkraft power:kraft
forest:skog skog:skog forestry:skogsbruk timber:timmer log:timmer tømmer:timmer
sawmill:sågverk sagbruk:sågverk berry:bär jam:sylt
tourist:turist turist:turist tourism:turism turisme:turism visitor:besökare
trail:led sti:stig tursti:vandringsled hiking:vandring snowmobile:skoter motorhome:husbil
campsite:camping sign:skylt skilting:skyltning guide:guide guided:guidad
sauna:bastu badstue:bastu badstu:bastu jetty:brygga brygge:brygga badebrygge:badbrygga
badeplass:badplats beach:badplats canoe:kanot kano:kanot
doctor:läkare lege:läkare health:vård helse:vård nurse:sjuksköterska care:vård
senior:äldre elderly:äldre older:äldre eldre:äldre lonely:ensam ensom:ensam
carer:anhörig meeting:möte møteplass:träffpunkt treffsted:träffpunkt lunch:lunch lunsj:lunch
solar:sol panel:panel wind:vind vindkraft:vindkraft electricity:el strøm:el
electric:el charger:laddstolpe charging:laddning heat:värme heating:uppvärmning
library:bibliotek bibliotek:bibliotek language:språk café:kafé photo:foto photograph:foto
archive:arkiv heritage:hembygd church:kyrka kirke:kyrka film:film cinema:bio
support:stöd støtte:stöd fund:fond funding:finansiering grant:bidrag money:pengar
idea:idé free:gratis cheap:billig new:ny old:gammal gammel:gammal small:liten big:stor
roof:tak varmepumpe:värmepump grendehus:bygdegård dugnad:arbetsdag volunteer:volontär
snow:snö brøyting:snöröjning clearing:röjning
"""
BRIDGE: dict[str, str] = dict(pair.split(":") for pair in _BRIDGE_PAIRS.split())

# Unicode format characters (category Cf): soft hyphen, zero-width space/joiners, bidi
# marks, embeddings, overrides and isolates, word joiner, BOM, tags. Removed before
# tokenising so "bu\u200bss" is "buss" and an RTL override cannot reorder what is compared.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)

KeyMode = Literal["snowball", "lemma", "lemma_stem"]
NegationMode = Literal["none", "filter", "penalty"]


@dataclass(frozen=True)
class Config:
    """How ideas are turned into vectors and compared (the bench tries several)."""

    keys: KeyMode = "lemma_stem"  # what a word becomes: its stem, lemma, or lemma's stem
    ngram_weight: float = 0.5  # share of the score given to character n-grams (0: none)
    ngram_min: int = 3
    ngram_max: int = 4
    negation: NegationMode = "filter"
    negation_scope: Literal["title", "text"] = "title"  # where a negation counts
    bridge: bool = True  # map frequent English/Norwegian domain words to Swedish (BRIDGE)
    negation_penalty: float = 0.8  # score factor when exactly one of two ideas is negated
    threshold: float = 0.24  # cosine at or above which two ideas are shown as alike


DEFAULT = Config()


@dataclass(frozen=True)
class Match:
    id: int
    score: float


def clean(text: str) -> str:
    """``text`` cut to :data:`MAX_CHARS` with its format characters removed."""
    return _FORMAT.sub("", text[:MAX_CHARS])


@lru_cache(maxsize=65536)
def lemma(word: str, language: str = "sv") -> str:
    """A normalised word's lemma, from the text's language's dictionary first, then the
    others' (simplemma tries them in order: asked Swedish first, "river" became "riva")."""
    order = (language, *(lang for lang in LEMMA_LANGUAGES if lang != language))
    return str(simplemma.lemmatize(word, lang=order)).lower()


_SV_MARKS = frozenset("äö")
_NB_MARKS = frozenset("æø")
_SV_WORDS = "och att jag är inte för från vara hade icke mig sig vid också även ska"
_SV_ONLY = frozenset(_SV_WORDS.split())
_NB_WORDS = "og jeg ikke er fra hvor være har hadde meg ble blir også skal bør mye nå ved"
_NB_ONLY = frozenset(_NB_WORDS.split())
_EN_ONLY = STOP_WORDS["en"] - STOP_WORDS["sv"] - frozenset(_NORWEGIAN_STOP.split())


def detect(tokens: Sequence[str]) -> str:
    """The text's language among sv, nb, en, from its function words and its letters
    (ä/ö, æ/ø): cheap, and only used to pick which dictionary lemmatises first. Swedish
    when nothing tells."""
    score = {"sv": 0.0, "nb": 0.0, "en": 0.0}
    for token in tokens:
        score["sv"] += (token in _SV_ONLY) + 0.5 * bool(_SV_MARKS & set(token))
        score["nb"] += (token in _NB_ONLY) + 0.5 * bool(_NB_MARKS & set(token))
        score["en"] += token in _EN_ONLY
    return max(("sv", "nb", "en"), key=lambda lang: (score[lang], lang == "sv"))


@lru_cache(maxsize=65536)
def word_key(
    word: str, keys: KeyMode = "lemma_stem", language: str = "sv", bridge: bool = True
) -> str:
    """What a word counts as: "bussarna", "busser", "buses" -> "buss" (lemma_stem)."""
    if keys == "snowball":
        return stem(word, "sv")
    found = lemma(word, language)
    if bridge:
        found = BRIDGE.get(found, BRIDGE.get(word, found))
    if keys == "lemma":
        return found
    return stem(found, "sv")


def content_words(text: str) -> list[str]:
    """A text's words, normalised, without stop words, numbers or over-long runs."""
    return [
        w
        for w in words(clean(text))
        if MIN_WORD_CHARS <= len(w) <= MAX_WORD_CHARS and w not in STOP and not w.isdigit()
    ]


_CLAUSE = re.compile(r"[.!?;:]+")


def negated(text: str, scope: Literal["title", "text"] = "title") -> bool:
    """The idea's proposal is a negative one: its first line (the title, which states the
    proposal) has a sentence with an odd number of negations. Negations further down are
    most often description ("there is no fibre", "so that the shop does not close"), and
    counting them cost recall in the bench (module docstring); counting per sentence keeps a
    title's "inte" from being cancelled by another one."""
    cleaned = clean(text).strip()
    part = cleaned.split("\n", 1)[0] if scope == "title" else cleaned
    for clause in _CLAUSE.split(part.replace("\n", ".")):
        if sum(1 for t in words(clause) if t in NEGATIONS) % 2 == 1:
            return True
    return False


@dataclass(frozen=True)
class Analysed:
    """One text as features: word keys and character n-grams, each with its count."""

    keys: Counter[str]
    grams: Counter[str]
    negated: bool
    forms: tuple[tuple[str, str], ...]  # (key, the word as written), for readable labels


def analyse(text: str, config: Config = DEFAULT) -> Analysed:
    every = words(clean(text))
    language = detect(every)
    tokens = [
        w
        for w in every
        if MIN_WORD_CHARS <= len(w) <= MAX_WORD_CHARS and w not in STOP and not w.isdigit()
    ]
    keys: Counter[str] = Counter()
    grams: Counter[str] = Counter()
    forms = []
    for token in tokens:
        if token in NEGATIONS:
            key = token
        else:
            key = word_key(token, config.keys, language, config.bridge)
            forms.append((key, token))
        keys[key] += 1
        if config.ngram_weight > 0 and token not in NEGATIONS:
            base = lemma(token, language)
            if config.bridge:
                base = BRIDGE.get(base, BRIDGE.get(token, base))
            padded = f" {base} "
            for n in range(config.ngram_min, config.ngram_max + 1):
                for i in range(len(padded) - n + 1):
                    grams[padded[i : i + n]] += 1
    return Analysed(keys, grams, negated(text, config.negation_scope), tuple(forms))


FloatArray = npt.NDArray[np.float64]


class Vectoriser:
    """TF-IDF (sublinear term frequency, smoothed IDF) over two blocks, keys and n-grams,
    each L2-normalised and scaled so a dot product is the weighted sum of the two cosines.
    The vocabulary and IDF are those of the documents it was fitted on; a query's unknown
    features still count in its norm (at the highest IDF), so a long text that merely
    contains a short idea is not scored as its duplicate."""

    def __init__(self, analysed: Sequence[Analysed], config: Config = DEFAULT) -> None:
        self.config = config
        n = len(analysed)
        self.n = n
        df: Counter[str] = Counter()
        for a in analysed:
            df.update("w" + k for k in a.keys)
            df.update("c" + g for g in a.grams)
        self.columns = {f: i for i, f in enumerate(sorted(df))}
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[f])) + 1.0 for f in sorted(df)], dtype=np.float64
        )
        self.unknown_idf = math.log(1 + n) + 1.0
        self.weights = (math.sqrt(1.0 - config.ngram_weight), math.sqrt(config.ngram_weight))

    def row(self, a: Analysed) -> tuple[list[int], list[float]]:
        """Column indices and values of one analysed text (unknown features dropped after
        they have counted in the norm)."""
        cols: list[int] = []
        vals: list[float] = []
        for prefix, counts, weight in (
            ("w", a.keys, self.weights[0]),
            ("c", a.grams, self.weights[1]),
        ):
            if weight == 0 or not counts:
                continue
            block: list[tuple[int, float]] = []
            norm2 = 0.0
            for feature, count in counts.items():
                col = self.columns.get(prefix + feature)
                idf = self.unknown_idf if col is None else float(self.idf[col])
                value = (1.0 + math.log(count)) * idf
                norm2 += value * value
                if col is not None:
                    block.append((col, value))
            scale = weight / math.sqrt(norm2) if norm2 else 0.0
            for col, value in block:
                cols.append(col)
                vals.append(value * scale)
        return cols, vals

    def matrix(self, analysed: Sequence[Analysed]) -> sparse.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for a in analysed:
            cols, vals = self.row(a)
            indices.extend(cols)
            data.extend(vals)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr)),
            shape=(len(analysed), len(self.columns)),
        )


class IdeaIndex:
    """The ideas of one process, ready to be compared with a text being typed.

    Built once per change of the ideas (3,000 ideas: about a second); :meth:`similar` is
    then a sparse product, well under 20 ms.
    """

    def __init__(
        self,
        docs: Sequence[tuple[int, str]],
        *,
        config: Config = DEFAULT,
        analysed: Sequence[Analysed] | None = None,
    ) -> None:
        """``analysed``: the docs already analysed (with ``config``), in the same order.
        Analysing is most of the cost (3,000 ideas: about 4.6 s of 5.4 s), so a caller
        that keeps each idea's analysis rebuilds the index in under a second."""
        self.config = config
        self.ids = np.array([i for i, _t in docs], dtype=np.int64)
        if analysed is None:
            analysed = [analyse(t, config) for _i, t in docs]
        elif len(analysed) != len(docs):
            raise ValueError("one analysis per document")
        self.negated = np.array([a.negated for a in analysed], dtype=bool)
        self.vectoriser = Vectoriser(analysed, config)
        self.matrix = self.vectoriser.matrix(analysed)
        self._by_column = self.matrix.tocsc()

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, text: str) -> FloatArray:
        """The score of ``text`` against every idea, in index order."""
        if not len(self.ids):
            return np.zeros(0)
        a = analyse(text, self.config)
        cols, vals = self.vectoriser.row(a)
        if not cols:
            return np.zeros(len(self.ids))
        result: FloatArray = np.asarray(
            self._by_column[:, cols] @ np.array(vals, dtype=np.float64), dtype=np.float64
        ).ravel()
        return self._negation(result, self.negated != a.negated)

    def _negation(self, scores: FloatArray, differs: npt.NDArray[np.bool_]) -> FloatArray:
        if self.config.negation == "filter":
            return np.where(differs, 0.0, scores)
        if self.config.negation == "penalty":
            return np.where(differs, scores * self.config.negation_penalty, scores)
        return scores

    def similar(
        self,
        text: str,
        *,
        limit: int = 5,
        exclude: int | None = None,
        threshold: float | None = None,
    ) -> list[Match]:
        """The ideas most like ``text``, best first (ties by id), at or above the
        threshold; ``exclude`` leaves out one id (the idea being edited)."""
        cut = self.config.threshold if threshold is None else threshold
        scores = self.scores(text)
        if exclude is not None:
            scores = np.where(self.ids == exclude, -np.inf, scores)
        hits = np.flatnonzero(scores >= cut - 1e-9)
        if limit <= 0 or not len(hits):
            return []
        order = sorted(hits.tolist(), key=lambda i: (-scores[i], int(self.ids[i])))
        return [
            Match(int(self.ids[i]), round(min(float(scores[i]), 1.0), 3)) for i in order[:limit]
        ]

    def pairs(self, threshold: float | None = None) -> list[tuple[int, int, float]]:
        """Every pair of ideas at or above the threshold, as (smaller id, larger id, score),
        best first: the organisers' list of likely duplicates. Computed in blocks of rows
        so memory stays at a few megabytes however many ideas there are."""
        cut = self.config.threshold if threshold is None else threshold
        found: list[tuple[int, int, float]] = []
        n = len(self.ids)
        transposed = self.matrix.T.tocsc()
        for start in range(0, n, 512):
            stop = min(n, start + 512)
            block = np.asarray((self.matrix[start:stop] @ transposed).todense(), dtype=np.float64)
            differs = self.negated[start:stop, None] != self.negated[None, :]
            block = self._negation(block, differs)
            rows, cols = np.nonzero(block >= cut - 1e-9)
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                i = start + r
                if c <= i:
                    continue
                a, b = int(self.ids[i]), int(self.ids[c])
                found.append((min(a, b), max(a, b), round(min(float(block[r, c]), 1.0), 3)))
        found.sort(key=lambda p: (-p[2], p[0], p[1]))
        return found
