"""Names misspelt by one letter: "Ethopia", "Afganistan", "Mitterand".

News copy and old wire archives misspell names; a name one edit away (a
letter added, dropped, changed, or two neighbours swapped) from exactly one
known name, one of the two six letters long or more, is taken for that name. Candidates come
from an index of every name with each one of its letters deleted, so a
lookup costs a handful of dictionary probes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

MIN_LENGTH = 6  # of the longer of the two words
MIN_NAME = 5  # of the known name ("Quatar" is Qatar)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one insertion, deletion, substitution
    or swap of neighbouring letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class NearNames:
    """An index of single-word names for finding the one a misspelling means."""

    def __init__(self, names: Iterable[str]):
        self.index: dict[str, set[str]] = defaultdict(set)
        for name in names:
            if len(name) >= MIN_NAME and name.isalpha():
                self.index[name].add(name)
                for deleted in _deletions(name):
                    self.index[deleted].add(name)

    def match(self, word: str) -> str | None:
        """The one known name ``word`` is a one-edit misspelling of, or None."""
        word = word.lower()
        if len(word) < MIN_NAME or not word.isalpha():
            return None
        found = set(self.index.get(word, ()))
        for deleted in _deletions(word):
            found |= self.index.get(deleted, set())
        found = {name for name in found if one_edit_apart(word, name)
                 and max(len(name), len(word)) >= MIN_LENGTH}
        return found.pop() if len(found) == 1 else None
