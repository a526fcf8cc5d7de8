"""The server-rendered SVG charts: well-formed, accessible, escaped, Vietnamese numbers.

No database and no dashboards app needed: only dashboards.charts is imported. Every chart is
parsed with ElementTree, as a PDF renderer would parse it.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from dashboards.charts import Bar, TrendPoint, bar_chart, trend_chart, trend_legend

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
HOSTILE = '<script>alert(1)</script>"'

D = Decimal


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(str(svg))  # noqa: S314 -- the charts' own output, not data from outside
    assert root.tag == f"{SVG}svg"
    return root


def classed(root: ET.Element, css: str) -> list[ET.Element]:
    return [el for el in root.iter() if css in el.get("class", "").split()]


def texts(root: ET.Element) -> list[str]:
    """The visible texts, without the tooltips (a <title> inside a <text>), no-break spaces as spaces."""
    return [plain((el.text or "") + "".join(child.tail or "" for child in el)) for el in root.iter(f"{SVG}text")]


def plain(text: str | None) -> str:
    return (text or "").replace("\u00a0", " ")


def desc(root: ET.Element) -> str:
    return plain(root.find(f"{SVG}desc").text)


def title(root: ET.Element) -> str:
    return plain(root.find(f"{SVG}title").text)


def ids(root: ET.Element) -> set[str]:
    return {el.get("id") for el in root.iter() if el.get("id")}


def plan_trend(**kwargs) -> SafeString:
    points = [
        TrendPoint(2024, D("79.3"), "baseline"),
        TrendPoint(2025, D("80"), "actual"),
        TrendPoint(2030, D("86"), "milestone"),
    ]
    return trend_chart(points, unit="%", **kwargs)


def commune_bars(**kwargs) -> SafeString:
    bars = [
        Bar("Xã Tam Cường", D("91.5"), "met", "Đạt", url="/don-vi/12/"),
        Bar("Xã Cổ Am", D("79.3"), "behind", "Chậm"),
        Bar("Xã Vĩnh Long", D("0"), "off_track", "Không đạt"),
        Bar("Xã Hòa Bình", None, "no_data", "Chưa có số liệu"),
    ]
    return bar_chart(bars, unit="%", target=D("86"), title="Tỷ lệ trẻ đến trường", **kwargs)


# --- both charts -------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [plan_trend, commune_bars, lambda: trend_chart([]), lambda: bar_chart([])])
def test_charts_are_safe_well_formed_svg_named_by_their_title_and_desc(make):
    svg = make()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.get("role") in ("img", "group")
    named_by = (root.get("aria-labelledby", "") + " " + root.get("aria-describedby", "")).split()
    assert set(named_by) == {root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")}
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_trend_desc_reads_the_data_in_vietnamese():
    root = parse(plan_trend(title="Tỷ lệ huy động trẻ 5 tuổi"))
    assert root.get("role") == "img"
    assert title(root) == "Tỷ lệ huy động trẻ 5 tuổi"
    assert desc(root) == "Hiện trạng 2024: 79,3 %; thực hiện 2025: 80 %; chỉ tiêu 2030: 86 %"


def test_bar_desc_gives_the_target_then_every_unit_with_its_status():
    root = parse(commune_bars())
    assert title(root) == "Tỷ lệ trẻ đến trường"
    assert desc(root) == (
        "Chỉ tiêu: 86 %. Xã Tam Cường: 91,5 % (Đạt); Xã Cổ Am: 79,3 % (Chậm); "
        "Xã Vĩnh Long: 0 % (Không đạt); Xã Hòa Bình: chưa có số liệu (Chưa có số liệu)"
    )


def test_empty_lists_give_a_small_no_data_chart_rather_than_an_error():
    for svg in (trend_chart([]), bar_chart([]), trend_chart([TrendPoint(2025, None, "actual")])):
        root = parse(svg)
        assert "chart-empty" in root.get("class").split()
        assert "Chưa có số liệu" in texts(root)
        assert int(root.get("height")) <= 90
        assert not classed(root, "chart-marker") and not classed(root, "chart-bar")
    assert desc(parse(bar_chart([]))) == "Chưa có số liệu."
    assert desc(parse(trend_chart([TrendPoint(2025, None, "actual")]))) == "Thực hiện 2025: chưa có số liệu"


@pytest.mark.parametrize(
    "make",
    [
        lambda: trend_chart([TrendPoint(2030, D("3"), "milestone", label=HOSTILE)], title=HOSTILE, unit=HOSTILE),
        lambda: bar_chart(
            [Bar(HOSTILE, D("5"), "met", HOSTILE, url=f"/don-vi/?q={HOSTILE}")],
            target=D("4"),
            target_label=HOSTILE,
            title=HOSTILE,
            unit=HOSTILE,
        ),
    ],
)
def test_text_from_data_is_escaped(make):
    svg = str(make())
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in svg
    root = parse(svg)  # quotes in attributes (the link) are escaped as well, or this would fail
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))
    assert title(root) == HOSTILE
    assert HOSTILE in desc(root)


def test_characters_xml_cannot_hold_are_dropped_from_names():
    root = parse(bar_chart([Bar("Xã\x0bTam\x00 Cường\n", D("1"))]))
    assert "Xã Tam Cường" in texts(root)


@pytest.mark.parametrize("make", [plan_trend, commune_bars])
def test_two_charts_never_share_an_id(make):
    first, second = parse(make()), parse(make())
    assert ids(first) and ids(second)
    assert not ids(first) & ids(second)


def test_a_given_id_prefix_starts_every_id_and_is_made_safe():
    root = parse(commune_bars(id_prefix="target 7"))
    assert ids(root) and all(i.startswith("target-7-") for i in ids(root))
    assert all(i.startswith("c42-") for i in ids(parse(plan_trend(id_prefix="42"))))


def test_fill_patterns_are_defined_in_the_chart_that_uses_them():
    root = parse(commune_bars())
    defined = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    used = {m for bar in classed(root, "chart-bar") for m in re.findall(r"url\(#([^)]+)\)", bar.get("fill"))}
    assert used and used <= defined


# --- trend chart ---------------------------------------------------------------------------------


def test_each_kind_has_its_own_mark():
    points = [
        TrendPoint(2024, D("70"), "baseline"),
        TrendPoint(2025, D("75"), "actual"),
        TrendPoint(2026, D("78"), "actual"),
        TrendPoint(2027, D("79"), "expected"),
        TrendPoint(2030, D("86"), "milestone"),
    ]
    root = parse(trend_chart(points, unit="%"))
    assert [el.tag for el in classed(root, "chart-baseline")] == [f"{SVG}rect"]
    assert [el.tag for el in classed(root, "chart-actual")] == [f"{SVG}circle"] * 2
    (diamond,) = classed(root, "chart-target")
    assert diamond.tag == f"{SVG}polygon" and diamond.get("fill") == "#fff"  # hollow
    (actual,) = classed(root, "chart-path-actual")
    assert actual.get("stroke-dasharray") is None
    assert len(actual.get("points").split()) == 3  # baseline and both actuals
    (target,) = classed(root, "chart-path-target")
    assert target.get("stroke-dasharray") == "4 3"
    assert target.get("points").split()[0] == actual.get("points").split()[-1]  # from the last actual
    (expected,) = classed(root, "chart-path-expected")
    assert expected.get("stroke-dasharray") == "1 2" and float(expected.get("stroke-width")) < 1.5
    assert "2024" in texts(root) and "2030" in texts(root)
    # Only the last actual carries its value, next to the milestone's.
    assert [plain(el.text) for el in classed(root, "chart-value-label")] == ["78 %"]
    assert [plain(el.text) for el in classed(root, "chart-target-label")] == ["86 %"]


def test_a_zero_is_drawn_and_labelled_but_none_is_a_gap():
    points = [
        TrendPoint(2023, D("5"), "baseline"),
        TrendPoint(2024, D("3"), "actual"),
        TrendPoint(2025, None, "actual"),
        TrendPoint(2026, D("0"), "actual"),
    ]
    root = parse(trend_chart(points, unit="%", id_prefix="dropout"))
    actuals = classed(root, "chart-actual")
    assert len(actuals) == 2  # 2024 and 2026; nothing for 2025
    zero = actuals[-1]
    (axis,) = classed(root, "chart-axis")
    assert float(zero.get("cy")) == float(axis.get("y1"))  # on the 0 line, not missing
    assert [plain(el.text) for el in classed(root, "chart-value-label")] == ["0 %"]
    # The line breaks at the gap instead of joining 2024 to 2026.
    runs = [len(line.get("points").split()) for line in classed(root, "chart-path-actual")]
    assert runs == [2]
    assert "thực hiện 2025: chưa có số liệu" in desc(root)
    assert "thực hiện 2026: 0 %" in desc(root)


def test_a_milestone_label_with_a_comparator_is_shown_as_written():
    points = [TrendPoint(2024, D("2.1"), "baseline"), TrendPoint(2030, D("3"), "milestone", label="< 3 %")]
    svg = trend_chart(points, unit="%")
    assert "&lt; 3 %" in svg
    root = parse(svg)
    assert [plain(el.text) for el in classed(root, "chart-target-label")] == ["< 3 %"]
    assert desc(root) == "Hiện trạng 2024: 2,1 %; chỉ tiêu 2030: < 3 %"


def test_trend_numbers_are_written_the_vietnamese_way():
    points = [TrendPoint(2024, D("1234"), "baseline"), TrendPoint(2025, D("1500.5"), "actual")]
    root = parse(trend_chart(points, unit="trường"))
    assert "1.500,5" in texts(root)
    assert desc(root) == "Hiện trạng 2024: 1.234 trường; thực hiện 2025: 1.500,5 trường"
    baseline_only = parse(trend_chart([TrendPoint(2024, D("79.30"), "baseline")], unit="%"))
    assert [plain(el.text) for el in classed(baseline_only, "chart-value-label")] == ["79,3 %"]


def test_close_percentages_zoom_in_with_the_window_labelled():
    root = parse(plan_trend())
    assert [plain(el.text) for el in classed(root, "chart-axis-label")] == ["90 %", "75 %"]
    spread = [TrendPoint(2024, D("20"), "baseline"), TrendPoint(2030, D("90"), "milestone")]
    root = parse(trend_chart(spread, unit="%"))
    assert [plain(el.text) for el in classed(root, "chart-axis-label")] == ["100 %", "0 %"]


def test_other_units_scale_from_zero_to_a_round_maximum():
    points = [TrendPoint(2024, D("13"), "actual"), TrendPoint(2030, D("15"), "milestone")]
    root = parse(trend_chart(points, unit="trường"))
    assert [el.text for el in classed(root, "chart-axis-label")] == ["20", "0"]


def test_percentages_never_plot_outside_the_0_100_scale():
    points = [
        TrendPoint(2024, D("-5"), "baseline"),
        TrendPoint(2025, D("120"), "actual"),
        TrendPoint(2026, D("50"), "expected"),
        TrendPoint(2030, D("100"), "milestone"),
    ]
    root = parse(trend_chart(points, unit="%"))
    (grid,) = classed(root, "chart-grid")
    (axis,) = classed(root, "chart-axis")
    top, bottom = float(grid.get("y1")), float(axis.get("y1"))
    assert [plain(el.text) for el in classed(root, "chart-axis-label")] == ["100 %", "0 %"]
    markers = [el for el in classed(root, "chart-marker") if el.tag != f"{SVG}polygon"]
    ys = [float(el.get("cy") or float(el.get("y")) + 3.5) for el in markers]
    ys += [float(pair.split(",")[1]) for line in classed(root, "chart-path") for pair in line.get("points").split()]
    assert ys and all(top <= y <= bottom for y in ys)
    assert len(classed(root, "chart-clipped")) == 2
    assert "thực hiện 2025: 120 %" in desc(root)  # the text keeps the real (wrong) value


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="kind"):
        trend_chart([TrendPoint(2025, D("1"), "target")])


def test_the_legend_names_every_mark():
    root = parse(trend_legend())
    assert texts(root) == ["Hiện trạng", "Thực hiện", "Chỉ tiêu", "Lộ trình dự kiến"]


# --- bar chart -----------------------------------------------------------------------------------


def rows(root: ET.Element) -> list[ET.Element]:
    return classed(root, "chart-row")


def test_one_row_per_bar_and_the_chart_grows_with_them():
    root = parse(commune_bars())
    assert len(rows(root)) == 4
    five = parse(bar_chart([Bar(f"Trường {i}", D(i)) for i in range(5)]))
    ten = parse(bar_chart([Bar(f"Trường {i}", D(i)) for i in range(10)]))
    assert float(ten.get("height")) > float(five.get("height"))


def test_a_zero_bar_is_drawn_and_labelled_but_none_says_no_data():
    root = parse(commune_bars())
    zero, missing = rows(root)[2], rows(root)[3]
    (bar,) = classed(zero, "chart-bar")
    assert float(bar.get("width")) == 0
    assert [plain(el.text) for el in classed(zero, "chart-value")] == ["0 %"]
    assert not classed(missing, "chart-bar")
    assert [el.text for el in classed(missing, "chart-nodata")] == ["chưa có số liệu"]


def test_bar_values_are_written_the_vietnamese_way():
    root = parse(bar_chart([Bar("Xã A", D("1234")), Bar("Xã B", D("79.30"))]))
    assert [plain(el.text) for el in classed(root, "chart-value")] == ["1.234", "79,3"]
    root = parse(commune_bars())
    assert [plain(el.text) for el in classed(root, "chart-value")] == ["91,5 %", "79,3 %", "0 %"]


def test_each_status_has_its_own_fill_and_its_label_as_text():
    root = parse(commune_bars())
    met, behind, off_track, missing = rows(root)
    assert "status-met" in met.get("class").split()
    assert "status-no_data" in missing.get("class").split() and not classed(missing, "chart-bar")
    fills = [classed(row, "chart-bar")[0].get("fill") for row in (met, behind, off_track)]
    assert not fills[0].startswith("url(")  # solid
    assert fills[1].endswith("pattern-behind)") and fills[2].endswith("pattern-off-track)")
    hatch = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    assert len(hatch) == 2
    statuses = [plain(el.text) for el in classed(root, "chart-status-label")]
    assert statuses == ["Đạt", "Chậm", "Không đạt", "Chưa có số liệu"]


def test_the_target_is_a_labelled_dashed_line():
    root = parse(commune_bars())
    lines = classed(root, "chart-target")
    assert lines and all(line.get("stroke-dasharray") for line in lines)
    assert len({line.get("x1") for line in lines}) == 1
    assert [plain(el.text) for el in classed(root, "chart-target-label")] == ["Chỉ tiêu: 86 %"]
    custom = parse(bar_chart([Bar("Xã A", D("3"))], target=D("5"), target_label="Chỉ tiêu 2030: ≥ 5 trường"))
    assert [el.text for el in classed(custom, "chart-target-label")] == ["Chỉ tiêu 2030: ≥ 5 trường"]
    assert not classed(parse(bar_chart([Bar("Xã A", D("3"))])), "chart-target")


def test_labels_link_only_when_a_url_is_given():
    root = parse(commune_bars())
    links = list(root.iter(f"{SVG}a"))
    assert len(links) == 1
    assert links[0].get("href") == links[0].get(XLINK_HREF) == "/don-vi/12/"
    assert "".join(links[0].itertext()) == "Xã Tam Cường"
    assert root.get("role") == "group"  # role="img" would hide the link from screen readers
    unlinked = parse(bar_chart([Bar("Xã A", D("1"))]))
    assert not list(unlinked.iter(f"{SVG}a")) and unlinked.get("role") == "img"


def test_a_javascript_url_is_not_linked():
    root = parse(bar_chart([Bar("Xã A", D("1"), url=" java\tscript:alert(1)")]))
    assert not list(root.iter(f"{SVG}a"))


def test_a_long_name_is_shortened_with_the_full_name_kept():
    name = "Trường Tiểu học và Trung học cơ sở Nguyễn Bỉnh Khiêm xã Vĩnh Bảo"
    root = parse(bar_chart([Bar(name, D("50"))], width=400))
    (label,) = classed(root, "chart-label")
    assert label.find(f"{SVG}title").text == name
    assert label[-1].tail.endswith("…")
    assert name in desc(root)


def test_percentage_bars_never_run_past_100():
    root = parse(bar_chart([Bar("Xã A", D("130")), Bar("Xã B", D("100")), Bar("Xã C", D("-4"))], unit="%"))
    over, full, under = (classed(row, "chart-bar")[0] for row in rows(root))
    assert float(over.get("width")) == float(full.get("width"))
    assert float(under.get("width")) == 0
    assert [plain(el.text) for el in classed(root, "chart-value")] == ["130 %", "100 %", "-4 %"]
    assert len(classed(root, "chart-clipped")) == 2


def test_an_unknown_status_is_a_programming_error():
    with pytest.raises(ValueError, match="status"):
        bar_chart([Bar("Xã A", D("1"), status="late")])
