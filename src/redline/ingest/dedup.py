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
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i:i + SHINGLE]).encode("utf-8")
            for i in range(len(words) - SHINGLE + 1)]


def signature(text: str) -> bytes:
    """The MinHash signature of a text, as stored with its article."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(shingles(text))
    return minhash.hashvalues.astype("<u4").tobytes()


def _minhash(stored: bytes):
    from datasketch import MinHash

    values = np.frombuffer(stored, dtype="<u4").astype(np.uint64)
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=values)


class Duplicates:
    """The clusters known so far: stored ones (loaded on first use) and this run's."""

    def __init__(self, stored: Iterable[tuple[str, str, bytes | None]] = ()) -> None:
        """``stored``: (cluster id, content hash, signature) of each stored story."""
        from datasketch import MinHashLSH

        # candidates are checked against NEAR, so the bands favour finding them
        self._lsh = MinHashLSH(threshold=NEAR, num_perm=NUM_PERM, weights=(0.1, 0.9))
        self._by_hash: dict[str, str] = {}
        self._minhashes: dict[str, object] = {}
        for cluster, digest, stored_signature in stored:
            self._remember(cluster, digest, stored_signature)

    def _remember(self, cluster: str, digest: str, stored_signature: bytes | None) -> None:
        self._by_hash.setdefault(digest, cluster)
        if stored_signature and cluster not in self._minhashes:
            minhash = _minhash(stored_signature)
            self._minhashes[cluster] = minhash
            self._lsh.insert(cluster, minhash)

    def cluster_of(self, article: Article, digest: str, stored_signature: bytes) -> str | None:
        """The cluster an article is a copy of (None: a new story, now remembered)."""
        if digest in self._by_hash:
            return self._by_hash[digest]
        minhash = _minhash(stored_signature)
        near = [(minhash.jaccard(self._minhashes[c]), c) for c in self._lsh.query(minhash)]
        near = [(score, c) for score, c in near if score >= NEAR]
        if near:
            best = max(near, key=lambda sc: (sc[0], sc[1]))[1]
            self._by_hash.setdefault(digest, best)
            return best
        self._remember(article.id, digest, stored_signature)
        return None
