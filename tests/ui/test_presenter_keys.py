"""The presenter keys' module is served from the static folder like the live chart's: byte
for byte, under a name carrying its content's hash, with older copies removed."""

from __future__ import annotations

from pathlib import Path

from ui import chart_assets, presenter_keys


def _publish(static: Path) -> str:
    return chart_assets.publish(presenter_keys.MODULE_SOURCE, "presenter_keys", ".js", static)


def test_the_module_is_published_under_its_content_hash(tmp_path: Path):
    name = _publish(tmp_path)
    assert (tmp_path / name).read_bytes() == presenter_keys.MODULE_SOURCE.read_bytes()
    # An older version's copy goes; the live chart's publishing leaves this module alone.
    (tmp_path / "presenter_keys.0123456789ab.js").write_text("old")
    chart_assets.publish_assets(tmp_path)
    assert _publish(tmp_path) == name
    assert sorted(path.name for path in tmp_path.glob("presenter_keys.*")) == [name]


def test_the_module_hides_the_box_of_the_key_python_mounts_it_with():
    assert f".st-key-{presenter_keys.KEY} " in presenter_keys.MODULE_SOURCE.read_text()
