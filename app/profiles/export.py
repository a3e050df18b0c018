"""A profile as plain JSON-friendly data, labels in one language: what
`main.py profiles --json` prints."""
from __future__ import annotations

from dataclasses import asdict

from app.profiles.model import Profile


def profile_to_dict(p: Profile, lang: str = "ja") -> dict:
    """A JSON-friendly summary (labels in `lang`), as printed by `profiles --json`."""
    def dim(key: str) -> dict:
        d = p.dimensions[key]
        return {"key": key, "label": d.label(lang), "values": list(d.value_keys())}

    return {
        "key": p.key,
        "spec": p.spec,
        "title": p.label(lang),
        "path": str(p.path),
        "opening_kinds": [{"key": k.key, "label": k.label(lang)} for k in p.opening_kinds],
        "dimensions": {k: {"label": d.label(lang), "ref": d.ref,
                           "values": [{"key": v.key, "label": v.label(lang)} for v in d.values]}
                       for k, d in p.dimensions.items()},
        "groups": [{"key": g.key, "label": g.label(lang)} for g in p.groups],
        "counters": [{"key": c.key, "label": c.label(lang), "shortcut": c.shortcut,
                      "group": c.group, "recorded_by": c.recorded_by,
                      "dimensions": [dim(k) for k in c.dimensions]}
                     for c in p.counters],
        "card": None if p.card is None else {
            "label": p.card.label(lang), "counters": list(p.card.counters),
            "optional": list(p.card.optional),
            "dimensions": [dim(k) for k in p.card_dimensions()]},
        "targets": [{"key": t.key, "label": t.label(lang), "kind": t.kind, "value": t.value,
                     "counter": t.counter, "opening_kind": t.opening_kind, "per": t.per}
                    for t in p.targets],
        "photo": asdict(p.photo),
        "reports": [{"key": r.key, "label": r.label(lang), "rule": r.rule, "n": r.n,
                     "day": r.day} for r in p.reports],
        "daily_cap": p.daily_cap,
        "daily_cap_counter": p.daily_cap_counter,
    }
