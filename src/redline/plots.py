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


LABEL_GAP_DAYS = 21  # alert labels closer than this are stacked, not overlaid
QUAD_COLOURS = {"quad1": ("verbal cooperation", "#6baed6"),
                "quad2": ("material cooperation", "#2171b5"),
                "quad3": ("verbal conflict", "#fd8d3c"),
                "quad4": ("material conflict", "#cb181d")}


def trend_png(series: list[dict], index: list[tuple], threshold: list[tuple],
              alerts: list[tuple], path: Path, title: str, by: str,
              stack: str = "quad", window: int = 7) -> Path:
    """Events of a dyad per period, stacked by quad class (or category), with the
    escalation index (a line on its own axis), the alert threshold and the alerts.

    ``index`` and ``threshold``: (day, value) points; ``alerts``: (day, rule) pairs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from redline.model import CATEGORIES

    fig, ax = plt.subplots(figsize=(11, 5.2))
    periods = [row["period"] for row in series]
    width = {"day": 0.8, "week": 5.5, "month": 24}[by]
    bottom = [0.0] * len(series)
    if stack == "quad":
        layers = [(key, label, colour) for key, (label, colour) in QUAD_COLOURS.items()]
    else:
        cmap = plt.get_cmap("tab20")
        layers = [(c, c, cmap(i % 20)) for i, c in enumerate(CATEGORIES)
                  if any(row.get(c) for row in series)]
    for key, label, colour in layers:
        values = [row.get(key) or 0 for row in series]
        if any(values):
            ax.bar(periods, values, width=width, bottom=bottom, color=colour, label=label,
                   align="edge")
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel(f"events per {by}")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    right = ax.twinx()
    if index:
        right.plot([d for d, _ in index], [v for _, v in index], color="black", lw=1.8,
                   label=f"escalation index ({window}-day mean)")
    if threshold:
        right.plot([d for d, _ in threshold], [v for _, v in threshold], color="black",
                   lw=1, ls="--", label="alert threshold")
    labelled: list = []
    for day, rule in sorted(alerts):
        right.axvline(day, color="#7a0177", lw=1.2, ls=":")
        row = sum(1 for d in labelled if (day - d).days < LABEL_GAP_DAYS)
        labelled.append(day)
        right.annotate(f"{rule} {day:%d %b}", (day, right.get_ylim()[1]),
                       xytext=(3, -12 - 11 * (row % 6)), textcoords="offset points",
                       fontsize=7, color="#7a0177")
    right.set_ylabel("escalation index")
    right.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize=8,
              frameon=False)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def network_png(graph, path: Path, title: str) -> Path:
    """The actor network: edges as wide as their events, red for conflict and blue
    for cooperation (by their tone), nodes as large as their events."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    fig, ax = plt.subplots(figsize=(10, 8))
    if graph.number_of_nodes():
        layout = nx.spring_layout(graph, seed=7, iterations=200,
                                  k=2.5 / max(1, graph.number_of_nodes()) ** 0.5)
        weights = [d["weight"] for *_, d in graph.edges(data=True)]
        top = max(weights)
        nx.draw_networkx_edges(
            graph, layout, ax=ax, width=[0.6 + 5 * w / top for w in weights],
            edge_color=[d["tone"] for *_, d in graph.edges(data=True)], edge_cmap=plt.cm.RdBu,
            edge_vmin=-1, edge_vmax=1, arrows=True, arrowsize=10, alpha=0.8,
            connectionstyle="arc3,rad=0.08")
        sizes = [120 + 1200 * d["events"] / max(1, max(
            n["events"] for _, n in graph.nodes(data=True))) for _, d in graph.nodes(data=True)]
        nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=sizes, node_color="#f0f0f0",
                               edgecolors="#333333")
        nx.draw_networkx_labels(graph, layout, ax=ax, font_size=8)
        mappable = plt.cm.ScalarMappable(cmap=plt.cm.RdBu, norm=plt.Normalize(-1, 1))
        fig.colorbar(mappable, ax=ax, shrink=0.6, label="tone: conflict (-1) to cooperation (+1)")
    ax.set_title(title, fontsize=11)
    ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def compare_png(found, path: Path) -> Path:
    """Our dyad series beside another coder's: events a period (each on its own
    axis: the datasets differ in size) and mean scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = [r["period"] for r in found.rows]
    fig, (counts, scales) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True)
    counts.plot(periods, [r["ours_events"] for r in found.rows], color="#cb181d",
                label="redline")
    counts.set_ylabel("redline events", color="#cb181d")
    other = counts.twinx()
    other.plot(periods, [r["theirs_events"] for r in found.rows], color="#2171b5",
               label=found.against)
    other.set_ylabel(f"{found.against} events", color="#2171b5")
    r = "n/a" if found.events_r is None else f"{found.events_r:.2f}"
    counts.set_title(f"{found.actor} → {found.recipient}, events a {found.by}: redline and "
                     f"{found.against} (r = {r})", fontsize=10)
    scales.plot(periods, [r["ours_scale"] for r in found.rows], "o-", color="#cb181d",
                markersize=3, label="redline (PLOVER scale)")
    scales.plot(periods, [r["theirs_scale"] for r in found.rows], "s-", color="#2171b5",
                markersize=3, label=f"{found.against} (Goldstein / PLOVER scale)")
    scales.axhline(0, color="#999999", linewidth=0.8)
    scales.set_ylabel("mean scale")
    scales.legend(fontsize=8, loc="lower left")
    r = "n/a" if found.scale_r is None else f"{found.scale_r:.2f}"
    scales.set_title(f"mean scale a {found.by} (r = {r})", fontsize=10)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
