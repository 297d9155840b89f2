"""How much engine work one search text may ask for: words kept, fuzzy words, suggester input. Pure.

The query builder (text_query, relax) asks here which words to send and which
may be fuzzy, so no text reaches the engine unbounded. Cost measured with the
engine's `took` (`souq bench hostile`) on 20,000 demo ads: a strict search of
a 200-letter word costs ~5 ms, but a fuzzy one ~400 ms (the Levenshtein
automaton and the term walk grow with the word, per field), a fuzzy word of
12 letters ~15 ms, and the did-you-mean suggester ~100 ms for a 200-letter word.
Words over the fuzzy limit are still searched, exactly.
"""

from __future__ import annotations

# Words the search uses; the rest are dropped and reported (`ignored_words`). Ad titles
# have 2-10 words (demo and bench data: 99.8 % at most 8), and the strict clause needs
# every word, so a text longer than this is pasted prose that would find nothing anyway.
MAX_QUERY_WORDS = 16
# Longest word that may be fuzzy (or corrected by did-you-mean): 99.99 % of the words of
# the demo ads have at most 12 letters («والمستلزمات» with its clitics is 11); a longer
# word is no misspelling of a word in the index, and costs ~1.5 ms of engine time per letter.
MAX_FUZZY_LETTERS = 12
# At most this many words of a relaxed search are fuzzy (the first ones); ~15 ms each at
# MAX_FUZZY_LETTERS, so the fuzzy retry stays under ~50 ms whatever the text.
MAX_FUZZY_WORDS = 3
# The did-you-mean suggester runs only for texts this short (words of at most
# MAX_FUZZY_LETTERS): each word's candidates multiply the phrases it scores and collates.
MAX_SUGGEST_WORDS = 4


def search_words(text: str) -> list[str]:
    """The words the search uses, in the order typed."""
    return text.split()[:MAX_QUERY_WORDS]


def bounded_text(text: str) -> str:
    """The text the search sends: its first MAX_QUERY_WORDS words."""
    return " ".join(search_words(text))


def ignored_words(text: str) -> list[str]:
    """The words beyond MAX_QUERY_WORDS, which the search leaves out."""
    return text.split()[MAX_QUERY_WORDS:]


def may_be_fuzzy(word: str) -> bool:
    """Short enough to be a misspelling worth an edit-distance search; never a number."""
    return len(word) <= MAX_FUZZY_LETTERS and not any(char.isdigit() for char in word)


def suggestable(text: str) -> bool:
    """A short text of ordinary-length words: worth (and cheap enough for) a did-you-mean."""
    words = text.split()
    return 0 < len(words) <= MAX_SUGGEST_WORDS and all(len(word) <= MAX_FUZZY_LETTERS for word in words)
