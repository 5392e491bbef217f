"""Every URL pattern the project serves, discovered from the resolver (so a new route cannot be
forgotten by the permission matrix or the CSRF test)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "home", "admin:index", "indicators:grid"
    route: str  # the joined pattern text, for messages
    args: tuple[str, ...]  # names of the captured arguments; "_0", "_1" for unnamed regex groups
    namespace: str = ""

    def reverse_args(self, values: dict[str, str]) -> dict:
        """kwargs for reverse(): named arguments from `values`, unnamed ones as "1"."""
        if any(a.startswith("_") for a in self.args):
            return {"args": [values.get(a, "1") for a in self.args]}
        return {"kwargs": {a: values[a] for a in self.args}}


def _arg_names(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern.pattern, "regex", None)
    if regex is None:
        return []
    if regex.groups > len(regex.groupindex):
        return [f"_{i}" for i in range(regex.groups)]
    return list(regex.groupindex)


def iter_routes(patterns=None, prefix: str = "", namespace: str = "", args: tuple[str, ...] = ()):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from iter_routes(p.url_patterns, prefix + str(p.pattern), ns, args + tuple(_arg_names(p)))
        elif isinstance(p, URLPattern):
            name = p.name or f"<unnamed {prefix}{p.pattern}>"
            full = f"{namespace}:{name}" if namespace else name
            yield Route(full, prefix + str(p.pattern), args + tuple(_arg_names(p)), namespace)


def all_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for r in iter_routes():
        seen.setdefault(r.name, r)  # the first pattern of a name is the one reverse() prefers
    return list(seen.values())
