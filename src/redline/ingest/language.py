"""Language identification (py3langid's bundled model): redline codes English;
other languages are counted and passed over."""

from __future__ import annotations

from functools import lru_cache

SAMPLE = 1200  # characters of an article looked at
SURE = 0.9  # probability above which a language other than English is believed


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> str:
    """The ISO 639-1 code of a text's language; ``en`` unless another is clear
    (short or mixed texts stay English rather than being lost)."""
    code, probability = _identifier().classify(text[:SAMPLE])
    return code if code != "en" and probability >= SURE else "en"
