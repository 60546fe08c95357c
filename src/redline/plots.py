"""Pictures for people to look at (PNG, drawn offline with matplotlib's Agg)."""

from __future__ import annotations

from pathlib import Path


def confusion_png(figures: dict, path: Path) -> Path:
    """A confusion matrix (gold rows, predicted columns) of ``redline eval`` figures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = figures["confusion"]
    labels = sorted({c["gold"] for c in cells} | {c["predicted"] for c in cells},
                    key=lambda x: (x == "none", x))
    index = {label: i for i, label in enumerate(labels)}
    grid = [[0] * len(labels) for _ in labels]
    for c in cells:
        grid[index[c["gold"]]][index[c["predicted"]]] += c["n"]
    fig, ax = plt.subplots(figsize=(0.55 * len(labels) + 3, 0.5 * len(labels) + 2.5))
    image = ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted by redline")
    ax.set_ylabel("gold")
    top = max((max(row) for row in grid), default=0)
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=7,
                        color="white" if n > top / 2 else "black")
    ax.set_title(f"{figures['task']}: macro-F1 {figures['macro_f1']:.2f}\n"
                 f"{Path(figures['gold']).name}", fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
