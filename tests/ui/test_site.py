"""The page records (ui/site.py) hold together: prefixes that cannot collide, chart keys
inside their page's prefix, and scenes that name only what their page declares."""

from __future__ import annotations

import itertools

import pytest

from ui import live_chart, scenes, site


def by_url(page: site.PageRecord) -> str:
    return page.url_path


def test_one_default_page_and_distinct_urls_views_and_prefixes():
    assert [page for page in site.PAGES if page.default] == [site.LOSS_VS_COST]
    for field in ("view", "url_path", "prefix", "title"):
        values = [getattr(page, field) for page in site.PAGES]
        assert len(set(values)) == len(values), field


def test_no_prefix_starts_another_or_the_frame_s():
    # A scene deletes every key starting with its page's prefix: "reg_" inside "regx_" (or the
    # frame's "scene_") would reset another page's widgets too.
    prefixes = [page.prefix for page in site.PAGES] + list(site.FRAME_PREFIXES)
    for first, second in itertools.permutations(prefixes, 2):
        assert not second.startswith(first), (first, second)
    assert all(prefix.endswith("_") for prefix in prefixes)


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_a_page_s_charts_carry_its_prefix_and_name_their_page(page):
    for key in page.charts:
        assert key.startswith(page.prefix), key
    assert set(page.scene_hooks) <= set(site.SCENE_HOOKS)


def test_the_image_names_are_the_records_and_distinct():
    names = [name for page in site.PAGES for name in page.charts.values()]
    assert len(set(names)) == len(names)
    for page in site.PAGES:
        for key, name in page.charts.items():
            assert live_chart.image_name(key) == f"loss-explorer_{name}"
    # The Huber lab's zones chart, as tests/e2e/test_live_chart.py downloads it.
    assert live_chart.image_name("hub_zone_chart") == "loss-explorer_huber-lab_zones"


def test_an_undeclared_section_is_refused_with_its_page_named():
    with pytest.raises(KeyError, match=r"views/huber\.py .* 'sweeps'"):
        site.HUBER.presented("sweeps")
    assert site.HUBER.presented("sweep") is False
    assert site.HUBER.presented("curve") is True


@pytest.mark.parametrize("number", range(1, len(scenes.SCENES) + 1))
def test_a_scene_names_only_what_its_page_declares(number):
    scene = scenes.SCENES[number - 1]
    page = scene.page
    assert page in site.PAGES
    # Its settings are the page's widgets: the reset by prefix (scenes.apply) clears them.
    assert all(key.startswith(page.prefix) for key in scene.settings), scene.settings
    for section in scene.sections or ():
        page.presented(section)  # raises for a section the page does not declare
    if scene.question is not None:
        for section in scene.question.hides:
            page.presented(section)
        # The answer reads what the page drew (scenes.record_data).
        assert "data" in page.scene_hooks


def test_a_scene_s_link_is_its_page_s_path():
    # The links before the records (ui/scenes.py built them from the view's file name).
    assert scenes.link(1) == "/?present=1&scene=1"
    assert scenes.link(2) == "/regression?present=1&scene=2"
    assert scenes.link(7) == "/gradient_descent?present=1&scene=7"
