"""The actor network: who acts toward whom, how often, cooperating or fighting."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from redline.analyse.events import dyad_events
from redline.store import Store

COOPERATION = ("cooperation",)


def actor_network(store: Store, since: date | None = None, until: date | None = None,
                  top: int | None = None):
    """A networkx DiGraph: an edge for each directed dyad with events in the period,
    weighted by their number, with ``cooperation`` and ``conflict`` counts, ``tone``
    (cooperation minus conflict over all, -1..1) and mean ``scale``; nodes carry
    their ``events``. ``top``: only the heaviest edges."""
    import networkx as nx

    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    scales: dict[tuple[str, str], float] = defaultdict(float)
    for e in dyad_events(store, since, until):
        if e.recipient is None:
            continue
        pair = (e.actor, e.recipient)
        edges[pair]["cooperation" if e.kind in COOPERATION else "conflict"] += 1
        scales[pair] += e.scale
    chosen = sorted(edges, key=lambda p: (-sum(edges[p].values()), p))[:top]
    graph = nx.DiGraph()
    for actor, recipient in chosen:
        counts = edges[(actor, recipient)]
        weight = counts["cooperation"] + counts["conflict"]
        graph.add_edge(actor, recipient, weight=weight, cooperation=counts["cooperation"],
                       conflict=counts["conflict"],
                       tone=round((counts["cooperation"] - counts["conflict"]) / weight, 3),
                       scale=round(scales[(actor, recipient)] / weight, 3))
    for node in graph.nodes:
        graph.nodes[node]["events"] = sum(d["weight"] for *_, d in graph.in_edges(node, True)) \
            + sum(d["weight"] for *_, d in graph.out_edges(node, True))
    return graph


def network_json(graph) -> dict:
    """Nodes and edges as plain JSON."""
    return {"nodes": [{"id": n, **d} for n, d in sorted(graph.nodes(data=True))],
            "edges": [{"source": a, "target": b, **d}
                      for a, b, d in sorted(graph.edges(data=True))]}
