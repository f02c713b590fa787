"""Finding glossary terms in text: spaCy for English, jieba for Chinese.

English: the blank spaCy tokenizer splits the text; every token gets a
matching key = lemma(norm(lower)) from spacy-lookups-data (`lexeme_norm`
turns British into US spelling, `lemma_lookup` removes inflection), written
into the token's NORM, and a PhraseMatcher on NORM finds the terms. So
"Rights", "rights", "centred"/"centered" and "people-centred"/"people
centred" all meet the same pattern. Coordinated forms ("rights to know and
to participate") are expanded after the PhraseMatcher pass.

Chinese: jieba segments the text with every glossary term in its
dictionary, and a term matches only when both ends fall on word
boundaries (so 民生 is not found inside 人民生活).

Building the key map needs the 40k-entry lemma table; the map restricted to
the words that can reach a glossary key is cached in build/cache/, keyed by
the term base hash, so later runs skip the tables.
"""
from __future__ import annotations

import bisect
import itertools
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..fileio import atomic_write
from ..model import Concept

CJK = re.compile(r"[\u3400-\u9fff]")
HYPHENS = {"-", "‐", "‑"}
SEPARATORS = {",", "and", "or", "as well as", "、"}
COORDINATION_HEAD = re.compile(r"\brights? (?:to|of)\b", re.I)  # where coordinated terms can start
CLAUSE_END = {".", ";", ":", "!", "?", "(", ")", "\n"}
BLOCK_SEPARATOR = "\n\n"  # between texts matched together: a space token no phrase can span
MAX_COORDINATION = 40  # tokens scanned after "rights to" for coordinated items
MAX_ITEM = 5  # a longer stretch without a separator is a clause, not a coordinated item
CACHE_VERSION = 3
# Lookup lemmas that change the meaning ('as'→'a', 'further'→'far', 'well'→'good'): kept as written.
NO_LEMMA = {"as", "further", "farther", "well", "better", "best", "worse", "worst", "'s", "left", "data", "media", "goods"}


@dataclass(frozen=True)
class Form:
    """One written form a match can come from."""
    concept: str
    term: str  # the rendering as listed (a variant points at its rendering)
    language: str  # en | zh
    status: str


@dataclass
class Match:
    form: Form
    start: int  # character offsets into the text
    end: int
    text: str  # the words as they stand in the text
    coordinated: bool = False

    @property
    def concept(self) -> str:
        return self.form.concept


def written_forms(concepts: Iterable[Concept]) -> list[tuple[str, Form]]:
    """(written text, Form) for every term and variant; terms with an ellipsis are quotations, not matched."""
    result = []
    for concept in concepts:
        for language in ("en", "zh"):
            for form in getattr(concept, language):
                target = Form(concept.id, form.term, language, form.status)
                for written in (form.term, *form.variants):
                    if "..." not in written and "…" not in written:
                        result.append((written, target))
    return result


class TermMatcher:
    """Both languages' matchers for one term base; build once, use for many paragraphs."""

    def __init__(self, concepts: list[Concept], cache_dir: Optional[Path] = None, digest: str = ""):
        forms = written_forms(concepts)
        self.english = EnglishMatcher([f for f in forms if f[1].language == "en"], cache_dir, digest)
        self.chinese = ChineseMatcher([f for f in forms if f[1].language == "zh"])

    def find(self, text: str) -> list[Match]:
        return self.find_all([text])[0]

    def find_all(self, texts: list[str]) -> list[list[Match]]:
        result = self.english.find_all(texts)
        for matches, text in zip(result, texts):
            if CJK.search(text):
                matches += self.chinese.find(text)
                matches.sort(key=lambda m: (m.start, -m.end))
        return result


# -- English ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _english_nlp():
    import spacy
    return spacy.blank("en")


@lru_cache(maxsize=1)
def _lookup_tables() -> tuple[dict, dict]:
    """spacy-lookups-data's English `lexeme_norm` and `lemma_lookup` tables as plain dicts.

    Read from the package's JSON (spaCy's Table keeps only hashes, and the
    cache below needs the words themselves).
    """
    return _lookup_json("lexeme_norm"), _lookup_json("lemma_lookup")


def _lookup_json(table: str) -> dict:
    import spacy_lookups_data
    import srsly
    return srsly.read_gzip_json(Path(spacy_lookups_data.__file__).parent / "data" / f"en_{table}.json.gz")


def _spelling_key(word: str) -> str:
    """lemma(norm(lower)): centred → centered → center; rights → right."""
    norms, lemmas = _lookup_tables()
    norm = norms.get(word, word)
    return norm if norm in NO_LEMMA else lemmas.get(norm, norm)


def _table_words() -> set[str]:
    norms, lemmas = _lookup_tables()
    return set(norms) | set(lemmas)


def _token_lower(text: str) -> str:
    return text.lower().replace("’", "'")


def _hyphen_spellings(words: list[str]) -> list[list[str]]:
    """The term's tokens plus hyphen↔space variants: 'people-centred' ≈ 'people centred' and vice versa."""
    spellings = [words]
    if any(w in HYPHENS for w in words):
        spellings.append([w for w in words if w not in HYPHENS])
    elif 1 < len(words) <= 6:
        spellings += [words[:i] + ["-"] + words[i:] for i in range(1, len(words))]
    return spellings


class EnglishMatcher:
    def __init__(self, forms: list[tuple[str, Form]], cache_dir: Optional[Path], digest: str):
        self.forms = sorted({f for _, f in forms}, key=lambda f: (f.concept, f.term))
        self._index = {form: i for i, form in enumerate(self.forms)}
        self.patterns, self.word_keys = self._load(forms, cache_dir, digest)
        self.sequences = {tuple(seq): ids for seq, ids in self.patterns.items()}
        self.longest = max((len(s) for s in self.sequences), default=0)
        self._matcher = None

    def _load(self, forms, cache_dir, digest):
        """(key sequence → form indices, word → key); from the cache when the term base is unchanged."""
        cache = Path(cache_dir) / f"terms-en-{digest}-v{CACHE_VERSION}.pickle" if cache_dir and digest else None
        if cache and cache.is_file():
            return pickle.loads(cache.read_bytes())
        nlp = _english_nlp()
        token_lists = [[_token_lower(t.text) for t in nlp.make_doc(written)] for written, _ in forms]
        term_words = {w for words in token_lists for w in words}
        keys = {w: _spelling_key(w) for w in term_words}
        patterns: dict[tuple[str, ...], list[int]] = {}
        for words, (_, form) in zip(token_lists, forms):
            for spelling in _hyphen_spellings(words):
                ids = patterns.setdefault(tuple(keys.get(w, w) for w in spelling), [])
                if self._index[form] not in ids:
                    ids.append(self._index[form])
        wanted = {k for seq in patterns for k in seq}
        # only words whose key is a glossary key matter; every other word may keep its own spelling
        word_keys = {w: k for w in _table_words() if (k := _spelling_key(w)) in wanted and k != w}
        result = (patterns, word_keys)
        if cache:
            atomic_write(cache, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        return result

    def matcher(self):
        """The PhraseMatcher on NORM; glossary keys go into the shared vocabulary's lexeme norms, once."""
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher
            from spacy.tokens import Doc
            vocab = _english_nlp().vocab
            for word, key in self.word_keys.items():
                for spelling in {word, word.capitalize(), word.upper()}:
                    vocab[spelling].norm_ = key
            self._matcher = PhraseMatcher(vocab, attr="NORM")
            for number, sequence in enumerate(self.patterns):
                pattern = Doc(vocab, words=list(sequence))
                for token, key in zip(pattern, sequence):
                    token.norm_ = key
                self._matcher.add(str(number), [pattern])
            self._pattern_ids = {vocab.strings[str(n)]: ids for n, ids in enumerate(self.patterns.values())}
        return self._matcher

    def find(self, text: str) -> list[Match]:
        return self.find_all([text])[0]

    def find_all(self, texts: list[str]) -> list[list[Match]]:
        """Matches in each text; the texts are tokenised as one Doc (several times faster than one Doc each)."""
        joined = BLOCK_SEPARATOR.join(texts)
        doc = _english_nlp().make_doc(joined)
        spans = []
        for match_id, start, end in self.matcher()(doc):
            if _hyphen_glued(doc, start, end):
                continue
            for index in self._pattern_ids[match_id]:
                spans.append((start, end, self.forms[index], False, start))
        if COORDINATION_HEAD.search(joined):
            spans += self._coordinated(doc, [t.norm_ if not t.is_space else "\n" for t in doc])
        starts = list(itertools.accumulate((len(t) + len(BLOCK_SEPARATOR) for t in texts[:-1]), initial=0))
        result: list[list[Match]] = [[] for _ in texts]
        for s, e, form, coordinated, _ in _resolve(spans):
            begin, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
            block = bisect.bisect_right(starts, begin) - 1
            offset = starts[block]
            result[block].append(Match(form, begin - offset, end - offset, joined[begin:end], coordinated))
        return result

    def _coordinated(self, doc, keys: list[str]) -> list[tuple]:
        """'rights to know and to participate': each item after the first, read as 'right to <item>'."""
        found = []
        for head in range(len(keys) - 2):
            if keys[head] != "right" or keys[head + 1] not in ("to", "of"):
                continue
            preposition = keys[head + 1]
            for item in _coordinated_items(keys, head + 2, preposition):
                for length in range(min(self.longest - 2, len(keys) - item), 0, -1):
                    sequence = ("right", preposition, *keys[item:item + length])
                    if sequence in self.sequences and not _hyphen_glued(doc, item, item + length):
                        for index in self.sequences[sequence]:
                            found.append((head, item + length, self.forms[index], True, item))
                        break
        return found


def _coordinated_items(keys: list[str], first: int, preposition: str) -> list[int]:
    """Start token of every coordinated item after the first one."""
    items, index, end, item_start = [], first, min(len(keys), first + MAX_COORDINATION), first
    while index < end and keys[index] not in CLAUSE_END and index - item_start <= MAX_ITEM:
        if keys[index] in SEPARATORS:
            while index < end and keys[index] in SEPARATORS:
                index += 1
            if index < end and keys[index] == preposition:
                index += 1
            items.append(index)
            item_start = index
        else:
            index += 1
    return items


def _hyphen_glued(doc, start: int, end: int) -> bool:
    """'right to know-how': a hyphen glued to either end makes it a different word."""
    after = end < len(doc) and doc[end].text in HYPHENS and not doc[end - 1].whitespace_
    before = start > 0 and doc[start - 1].text in HYPHENS and not doc[start - 1].whitespace_
    return after or before


def _resolve(spans: list[tuple]) -> list[tuple]:
    """Longest match wins; a coordinated item never hides a direct match, nor one inside a longer term.

    Spans are (start, end, form, coordinated, item start) in tokens. One sweep in start order: a span
    lies inside a longer one exactly when the furthest-reaching earlier span covers it and is longer.
    """
    direct = sorted((s for s in spans if not s[3]), key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple] = []
    seen: set[tuple] = set()
    reach = (-1, -1)  # (start, end) of the earlier span reaching furthest
    for span in direct:
        start, end = span[0], span[1]
        inside = reach[1] >= end and (reach[1] - reach[0]) > (end - start)
        if end > reach[1]:
            reach = (start, end)
        key = (start, end, span[2].concept)
        if not inside and key not in seen:
            seen.add(key)
            kept.append(span)
    starts = [k[0] for k in kept]
    for span in (s for s in spans if s[3]):
        nearby = kept[max(0, bisect.bisect_right(starts, span[4]) - 8):bisect.bisect_right(starts, span[4])]
        covered = any(k[0] <= span[4] and span[1] <= k[1] for k in nearby)
        key = ("coordinated", span[4], span[2].concept)
        if not covered and key not in seen:
            seen.add(key)
            kept.append(span)
    return sorted(kept, key=lambda s: (s[0], s[4]))


# -- attributive uses ------------------------------------------------------------------------

DETERMINERS = {"a", "an", "the", "each", "every", "one", "any", "this", "that", "no", "its", "their", "another"}
NEXT_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’]*)")
LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")


def modifies_a_noun(text: str, match: Match) -> bool:
    """'ethnic minority languages', 'rural, ethnic minority and border areas': the singular of a rendering
    listed in the plural qualifies the noun after it, so it is not a rendering of its own ('ethnic minority
    groups languages' is no English). A singular count noun has a determiner or is a modifier: without one,
    any word after it belongs to the noun it qualifies; with one ('each ethnic minority has'), only a noun
    that cannot be a verb does."""
    if match.form.language != "en" or not _singular(match.text) or _singular(match.form.term):
        return False
    after = NEXT_WORD.match(text, match.end)
    if not after:
        return False
    before = LAST_WORD.search(text, 0, match.start)
    if not before or before.group(1).lower() not in DETERMINERS:
        return True
    classes = _word_classes(after.group(1).lower())
    return "noun" in classes and "verb" not in classes


def _singular(words: str) -> bool:
    last = _token_lower(words.split()[-1]).split("-")[-1]
    return _lookup_tables()[1].get(last, last) == last


def _word_classes(word: str) -> set[str]:
    """The classes (noun, verb, adj, adv) an English word can belong to; none for a function word."""
    from spacy.lang.en.stop_words import STOP_WORDS
    if word in STOP_WORDS:
        return set()
    base = _lookup_tables()[1].get(word, word)
    return {pos for pos, words in _word_index().items() if base in words or word in words}


@lru_cache(maxsize=1)
def _word_index() -> dict[str, frozenset]:
    """spacy-lookups-data's `lemma_index`: the base forms of each word class (WordNet's)."""
    return {pos: frozenset(words) for pos, words in _lookup_json("lemma_index").items()}


# -- Chinese ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def jieba_tokenizer():
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


class ChineseMatcher:
    def __init__(self, forms: list[tuple[str, Form]]):
        self.terms: dict[str, list[Form]] = {}
        for written, form in forms:
            self.terms.setdefault(written, []).append(form)
        self.longest = max((len(t) for t in self.terms), default=0)
        self._ready = False

    def segmenter(self):
        tokenizer = jieba_tokenizer()
        if not self._ready:
            for term in sorted(self.terms, key=len):
                tokenizer.add_word(term)
            self._ready = True
        return tokenizer

    def find(self, text: str) -> list[Match]:
        """Terms whose both ends fall on jieba word boundaries; the longest at each start wins."""
        if not any(term in text for term in self.terms):
            return []
        boundaries = {0, len(text)}
        for _word, start, end in self.segmenter().tokenize(text, HMM=False):
            boundaries.update((start, end))
        matches: list[Match] = []
        covered_to = -1
        for start in sorted(boundaries):
            if start < covered_to:
                continue
            for end in range(min(len(text), start + self.longest), start, -1):
                written = text[start:end]
                if end in boundaries and written in self.terms:
                    matches += [Match(form, start, end, written) for form in self.terms[written]]
                    covered_to = end
                    break
        return matches
