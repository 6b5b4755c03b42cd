"""The caching policy, written once in `ui.cache`'s docstring, holds in the code: every cache is
bounded, names its policy row, and uses that row's mechanism; values are kept by hand only in
the stores the policy names; the core (`losses/`) keeps no state."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("losses", "lessons", "ui", "views")
POLICY = ast.get_docstring(ast.parse((ROOT / "ui" / "cache.py").read_text(encoding="utf-8")))
# The policy's table: | row | what goes there | mechanism |
ROWS = dict(re.findall(r"^\| ([a-z ]+) \| [^|]+ \| ([^|]+) \|$", POLICY, flags=re.M))
ROWS.pop("row")
# The decorator each row's mechanism names; a store may be held by any (ui.uploads's is
# held by a one-entry st.cache_resource).
KINDS = {
    "ui.memo.memo": "memo",
    "st.cache_resource": "cache_resource",
    "st.cache_data": "cache_data",
    "functools.cache": "cache",
    "functools.lru_cache": "lru_cache",
}
COMMENT = re.compile(r"# Cache policy \(ui\.cache\): ([a-z]+(?: [a-z]+)*)[.( ]")


def row_kind(row: str) -> str | None:
    mechanism = ROWS[row]
    kinds = [kind for name, kind in KINDS.items() if name in mechanism]
    return kinds[0] if kinds else None


def modules():
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name, path.read_text(encoding="utf-8")


def decorator_kind(decorator: ast.expr) -> tuple[str, bool] | None:
    """(kind, bounded) of a caching decorator, or None for any other."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
    if name in ("cache_data", "cache_resource"):
        keywords = {keyword.arg: keyword.value for keyword in call.keywords} if call else {}
        bound = keywords.get("max_entries")
        return name, bound is not None and not (
            isinstance(bound, ast.Constant) and bound.value is None
        )
    if name == "memo":
        bound = call.args[0] if call and call.args else None
        return "memo", bound is not None and not (
            isinstance(bound, ast.Constant) and bound.value is None
        )
    if name == "lru_cache":
        if call is None:
            return "lru_cache", True  # functools' default maxsize, 128
        keywords = {keyword.arg: keyword.value for keyword in call.keywords}
        bound = call.args[0] if call.args else keywords.get("maxsize")
        return "lru_cache", bound is not None and not (
            isinstance(bound, ast.Constant) and bound.value is None
        )
    if name == "cache":
        return "cache", True  # bounded by its arguments' closed set (row "constants")
    return None


def cache_sites():
    """(module, line, function, kind, bounded, the comment line above its decorators,
    whether the function is defined at module level)."""
    for module, source in modules():
        lines = source.splitlines()
        tree = ast.parse(source)
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                found = decorator_kind(decorator)
                if found:
                    first = node.decorator_list[0].lineno
                    above = lines[first - 2].strip() if first >= 2 else ""
                    yield module, first, node.name, *found, above, id(node) in top


SITES = list(cache_sites())


def test_the_policy_table_is_read():
    assert {"shared data", "figures", "results", "constants", "stores", "session"} <= set(ROWS)
    assert len(SITES) > 30  # the app's caches were found


def test_every_cache_is_bounded():
    unbounded = [f"{module}:{line} {name}" for module, line, name, _, ok, *_ in SITES if not ok]
    assert unbounded == []


@pytest.mark.parametrize(
    "site",
    # ui.memo is the mechanism itself; a functools.cache needs no comment (row "constants").
    [site for site in SITES if site[0] != "ui.memo" and site[3] != "cache"],
    ids=lambda site: f"{site[0]}.{site[2]}",
)
def test_every_cache_names_its_policy_row_and_uses_its_mechanism(site):
    module, line, name, kind, _, above, _ = site
    named = COMMENT.match(above)
    assert named, f"{module}:{line} {name}: no '# Cache policy (ui.cache): <row>.' above it"
    row = named.group(1)
    assert row in ROWS, f"{module}:{line} {name}: {row!r} is no row of the policy"
    if row != "stores":
        assert kind == row_kind(row), f"{module}:{line} {name}: {kind} in row {row!r}"


def test_values_are_kept_by_hand_only_in_the_stores_the_policy_names():
    stores = POLICY.split("- stores:")[1].split("\n- ")[0]
    kept_by_hand = {
        module
        for module, source in modules()
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "OrderedDict"
    }
    unnamed = {module for module in kept_by_hand if f"`{module}" not in stores}
    assert unnamed == set()


def test_the_core_keeps_no_state():
    # Policy, rows "shared data" and "local": fits are cached in ui/; a memo in losses/ lives
    # only inside a value a call returns, never at module level.
    kept = [
        f"{module}.{name}"
        for module, _, name, _, _, above, module_level in SITES
        if module.startswith("losses") and (module_level or "(ui.cache): local." not in above)
    ]
    assert kept == []
