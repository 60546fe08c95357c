"""One story, counted once: exact and near-duplicate reports.

An article whose id (canonical URL, or text when it has none) is stored is
skipped. An article with the same normalised text as a stored one, or whose
text is close to one (word 3-shingles, MinHash/LSH from datasketch, estimated
Jaccard similarity at least ``NEAR``), joins that article's cluster: it is
recorded as another report of the story, and the story's events are not
coded again. Clusters give each event the number of articles and sources
reporting it (GDELT's NumArticles and NumSources).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from redline.model import Article, normalise_text

NUM_PERM = 64
SEED = 7
SCHEME = "affine32"
NEAR = 0.6  # estimated Jaccard similarity of word 3-shingles that makes a near-duplicate
SHINGLE = 3
WORD = re.compile(r"\w+")


def content_hash(text: str) -> str:
    """sha256 of the normalised, lower-cased text: equal for exact copies."""
    return hashlib.sha256(normalise_text(text).lower().encode("utf-8")).hexdigest()


def shingles(text: str) -> list[bytes]:
    """The word 3-shingles of a text (lower-cased), as MinHash takes them."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i:i + SHINGLE]).encode("utf-8")
            for i in range(len(words) - SHINGLE + 1)]


@lru_cache(maxsize=1)
def _permutations() -> object:
    """The hash permutations of every signature, made once."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(text: str) -> bytes:
    """The MinHash signature of a text, as stored with its article."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME,
                      permutations=_permutations())
    minhash.update_batch(shingles(text))
    return minhash.hashvalues.astype("<u4").tobytes()


def _values(stored: bytes) -> np.ndarray:
    return np.frombuffer(stored, dtype="<u4")


def _lean(values: np.ndarray):
    from datasketch import LeanMinHash

    return LeanMinHash(seed=SEED, hashvalues=values.astype(np.uint64), scheme=SCHEME)


class Duplicates:
    """The clusters known so far: stored ones (loaded on first use) and this run's."""

    def __init__(self, stored: Iterable[tuple[str, str, bytes | None]] = ()) -> None:
        """``stored``: (cluster id, content hash, signature) of each stored story."""
        from datasketch import MinHashLSH

        # candidates are checked against NEAR, so the bands favour finding them
        self._lsh = MinHashLSH(threshold=NEAR, num_perm=NUM_PERM, weights=(0.1, 0.9))
        self._by_hash: dict[str, str] = {}
        self._values: dict[str, np.ndarray] = {}
        for cluster, digest, stored_signature in stored:
            self._remember(cluster, digest, stored_signature)

    def _remember(self, cluster: str, digest: str, stored_signature: bytes | None) -> None:
        self._by_hash.setdefault(digest, cluster)
        if stored_signature and cluster not in self._values:
            values = _values(stored_signature)
            self._values[cluster] = values
            self._lsh.insert(cluster, _lean(values))

    def exact(self, digest: str) -> str | None:
        """The cluster of a known story with exactly this content hash."""
        return self._by_hash.get(digest)

    def cluster_of(self, article: Article, digest: str, stored_signature: bytes) -> str | None:
        """The cluster an article is a copy of (None: a new story, now remembered)."""
        if digest in self._by_hash:
            return self._by_hash[digest]
        values = _values(stored_signature)
        near = [(float(np.mean(values == self._values[c])), c)
                for c in self._lsh.query(_lean(values))]
        near = [(score, c) for score, c in near if score >= NEAR]
        if near:
            best = max(near)[1]
            self._by_hash.setdefault(digest, best)
            return best
        self._remember(article.id, digest, stored_signature)
        return None
