"""The lecture's scenes: a tour across the pages that tells the story in order.

Each scene is data: the page (its record in `ui.site`), the settings it fixes (widget key →
value, as the widget returns it), one or two sentences of narration, the sections it shows
(from those its page declares), and maybe a question to answer before the charts that give
the answer away appear. The answer is computed from the data the page shows
(`lessons.predictions`), never typed in. Opening a scene resets its page: the session's keys
with the record's prefix are deleted, then the scene's settings put in place.

A scene is a link: ``/regression?present=1&scene=3``. The compact row at the top (drawn by
`scene_bar` before the page runs) has ◀ / ▶ (also the keys Page Up / Page Down, what a
presenter's clicker sends), the scene's number and title, the page's settings, the captions
switch and the way out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

import losses
from lessons import network_verdicts, predictions
from lessons.predictions import Answer
from ui import cache, network_cache, presentation, presenter_keys, site, touch
from ui.site import PageRecord

SCENE = "scene"  # the URL key: &scene=3 (counted from 1)
APPLIED = "_scene_applied"  # the scene whose settings this session has put in place
DATA = "_scene_data"  # page → the data arguments the page last drew (`record_data`)
OUTCOME = "_scene_outcome"  # page → what its last run did (`record_outcome`)


@dataclass(frozen=True)
class Question:
    """Asked before the sections in ``hides`` are shown. ``answer(data, state)`` gets the
    data arguments the page drew and the session's widget values, and returns the right
    option with its numbers. ``prompt``: the question, or a function of the session's widget
    values that writes it (a link may change the settings it names)."""

    prompt: str | Callable[[Mapping[str, Any]], str]
    options: tuple[str, ...]
    answer: Callable[[dict, Mapping[str, Any]], Answer]
    hides: tuple[str, ...]


@dataclass(frozen=True)
class Scene:
    title: str
    page: PageRecord
    narration: str
    settings: dict = field(default_factory=dict)
    sections: tuple[str, ...] | None = None  # None: the page's presented sections (ui.site)
    question: Question | None = None


def _line_answer(data: dict, state: Mapping[str, Any]) -> Answer:
    return predictions.which_line_moves(cache.regression_data(**data))


def _descent_answer(data: dict, state: Mapping[str, Any]) -> Answer:
    judgement = state.get(OUTCOME, {}).get(site.DESCENT.view)
    if judgement is None:
        raise ValueError("no descent ran; turn on “run gradient descent”.")
    return predictions.descent_answer(judgement)


def _descent_prompt(state: Mapping[str, Any]) -> str:
    """The descent question with the settings it runs with (a link can change any of them)."""
    data = state.get(DATA, {}).get(site.DESCENT.view, {})
    return predictions.descent_question(
        losses.get(state.get("gd_loss", "mse")).name,
        learning_rate=state.get("gd_rate", 0.02),
        epochs=state.get("gd_epochs", 1000),
        momentum=state.get("gd_momentum", 0.0),
        batch_size=state.get("gd_batch", 0) or None,
        n=data.get("n", 0),
    )


def _network_answer(question: str) -> Callable[[dict, Mapping[str, Any]], Answer]:
    """The answer the network page computed for ``question`` from its two trainings."""

    def answer(data: dict, state: Mapping[str, Any]) -> Answer:
        answers = state.get(OUTCOME, {}).get(site.NETWORK.view)
        if not answers or question not in answers:
            raise ValueError("the page trains one loss only; pick a loss B to compare.")
        return answers[question]

    return answer


def _network_prompt(question: str) -> Callable[[Mapping[str, Any]], str]:
    """A question naming the two losses the page trains (a link can change them)."""

    def prompt(state: Mapping[str, Any]) -> str:
        task = network_cache.task_of(state.get("net_data_set", "moons"))
        names = []
        for tag in ("a", "b"):
            loss_id = state.get(f"net_{tag}_{task}")
            names.append(losses.get(loss_id).short if loss_id in losses.REGISTRY else "?")
        return question.format(a=names[0], b=names[1])

    return prompt


def _recall_answer(data: dict, state: Mapping[str, Any]) -> Answer:
    return predictions.rare_class_recall(cache.binary_data(**data), "bce")


def _sparse_answer(data: dict, state: Mapping[str, Any]) -> Answer:
    return predictions.sparse_versus_dense_fit(cache.multiclass_data(**data), data["k"])


OUTLIERS = 0.2
SCENES: tuple[Scene, ...] = (
    Scene(
        "A loss scores one sample; the cost averages them",
        site.LOSS_VS_COST,
        "Each bar is one sample's loss; the cost J is their average, the one number training "
        "makes small. Change a prediction in the table: one bar and the average move.",
        {"cost_task": "regression", "cost_loss_regression": "mse"},
    ),
    Scene(
        "Least squares meets outliers",
        site.REGRESSION,
        "One point in five is pushed far above the true line. Least squares (MSE) lets every "
        "point pull in proportion to its residual, so the far ones pull hardest.",
        {"reg_loss": "mse", "reg_data_outliers": OUTLIERS},
        ("fits", "weights"),
    ),
    Scene(
        "MSE or MAE: which line moves?",
        site.REGRESSION,
        "MAE charges each point its distance, not its squared distance.",
        {"reg_loss": "mae", "reg_data_outliers": OUTLIERS},
        ("fits",),
        Question(
            "One point in five is an outlier above the line. Which fitted line do they drag "
            "further from the true line?",
            predictions.LINE_OPTIONS,
            _line_answer,
            ("fits", "table"),
        ),
    ),
    Scene(
        "Huber: quadratic near the line, linear far away",
        site.REGRESSION,
        "Huber pulls like least squares for residuals within δ and with the fixed force δ "
        "beyond: the outliers' pull is capped.",
        {"reg_loss": "huber", "reg_data_outliers": OUTLIERS},
        ("curve", "fits"),
    ),
    Scene(
        "What δ does",
        site.HUBER,
        "Slide δ: tiny δ gives the MAE line, huge δ the least-squares line, and in between "
        "the line need not lie between the two.",
        {"hub_data_outliers": OUTLIERS},
        ("metrics", "sweep"),
    ),
    Scene(
        "An outlier you place yourself",
        site.REGRESSION,
        "Two ★s, placed by hand far below the line among 20 points, drag the least-squares "
        "(MSE) line down at the right; the Huber line stays by the true line. Click the chart "
        "to add another ★, click a ★ to remove it, and watch which line follows.",
        # 20 points, not 200: one ★ among 200 moved the MSE line by 0.5 (tests/app/test_scenes.py).
        {
            "reg_loss": "huber",
            "reg_data_n": 20,
            "reg_data_outliers": 0.0,
            "reg_points": ((9.0, -25.0), (9.8, -20.0)),
        },
        ("fits", "effect"),
    ),
    Scene(
        "Gradient descent: how big a step?",
        site.DESCENT,
        "Gradient descent steps downhill on the cost J(a, b), each step −η times the gradient.",
        {"gd_loss": "mse", "gd_data_outliers": OUTLIERS, "gd_rate": 0.0315},
        ("landscape", "data"),
        Question(
            _descent_prompt,
            predictions.DESCENT_OPTIONS,
            _descent_answer,
            ("landscape", "data", "outcome"),
        ),
    ),
    Scene(
        "MSE with a safe step",
        site.DESCENT,
        "Below 2/L the steps shrink as the gradient does: the descent lands on the "
        "least-squares line. Press ▶ to watch the epochs.",
        {"gd_loss": "mse", "gd_data_outliers": OUTLIERS, "gd_rate": 0.02},
        ("landscape", "data", "outcome"),
    ),
    Scene(
        "MAE keeps bouncing",
        site.DESCENT,
        "MAE's gradient is a sign: as large next to the minimum as far from it, so a fixed η "
        "keeps stepping over the bottom.",
        {"gd_loss": "mae", "gd_data_outliers": OUTLIERS, "gd_rate": 0.02},
        ("landscape", "data", "outcome"),
    ),
    Scene(
        "Huber, with momentum",
        site.DESCENT,
        "Huber's gradient is bounded far away and smooth near the fit; momentum carries the "
        "steps along the long, narrow valley.",
        {"gd_loss": "huber", "gd_data_outliers": OUTLIERS, "gd_rate": 0.02, "gd_momentum": 0.9},
        ("landscape", "data", "outcome"),
    ),
    Scene(
        "A network meets outliers",
        site.NETWORK,
        "The same network, from the same initial weights, learns a sine curve under two "
        "losses. One point in ten is pushed far above the curve.",
        {
            "net_data_set": "sine",
            "net_data_outliers": 0.1,
            "net_data_magnitude": 4.0,
            "net_a_regression": "mse",
            "net_b_regression": "mae",
            "net_epochs": 1000,
        },
        ("panels",),
        Question(
            _network_prompt(
                "One point in ten is an outlier above the curve. Which network's curve "
                "wiggles up to reach them: A ({a}) or B ({b})?"
            ),
            network_verdicts.OPTIONS,
            _network_answer("curve"),
            ("panels", "outcome"),
        ),
    ),
    Scene(
        "Flipped labels: cross-entropy or GCE?",
        site.NETWORK,
        "Three labels in ten are flipped (✕), and the network (3 layers of 32) is big "
        "enough to learn them by heart. Cross-entropy's pull on a point grows the more "
        "wrong the network is about it; generalised cross-entropy's (q = 0.7) fades away.",
        {
            "net_data_set": "moons",
            "net_data_flipped": 0.3,
            "net_a_binary": "bce",
            "net_b_binary": "gce",
            "net_epochs": 1000,
            "net_layers": 3,
            "net_units": 32,
        },
        ("panels",),
        Question(
            _network_prompt(
                "30 % of the labels are flipped. Whose boundary stays closer to the true "
                "classes: A ({a}) or B ({b})?"
            ),
            network_verdicts.OPTIONS,
            _network_answer("boundary"),
            ("panels", "outcome"),
        ),
    ),
    Scene(
        "A rare class in a network",
        site.NETWORK,
        "Only 5 % of the points are class 1, so they carry a twentieth of the gradient. "
        "Weighted BCE counts each of them w = 20 times, about n_neg / n_pos = 19. Both "
        "networks train for 200 epochs.",
        {
            "net_data_set": "moons",
            "net_data_n": 1000,
            "net_data_minority": 0.05,
            "net_a_binary": "bce",
            "net_b_binary": "bce",
            "net_b_bce_pos_weight": 20.0,
            "net_epochs": 200,
        },
        ("panels",),
        Question(
            _network_prompt(
                "5 % of the points are class 1. After 200 epochs, which network finds more "
                "of them: A ({a}) or B ({b}, weighted)?"
            ),
            network_verdicts.OPTIONS,
            _network_answer("rare"),
            ("panels", "outcome"),
        ),
    ),
    Scene(
        "Binary cross-entropy on balanced classes",
        site.BINARY,
        "Half the points are positive: plain BCE counts every point alike, and its boundary "
        "runs between the two classes.",
        {"bin_data_positive": 0.5, "bin_loss": "bce"},
        ("boundary",),
    ),
    Scene(
        "Rare positives",
        site.BINARY,
        "Now only 5% of the points are positive.",
        {"bin_data_positive": 0.05, "bin_loss": "bce"},
        ("metrics",),  # the lesson comparing every loss: the next scene's
        Question(
            "Only 5% of the points are positive. How many of them does plain BCE find at p = 0.5?",
            predictions.RECALL_OPTIONS,
            _recall_answer,
            ("metrics", "lesson"),
        ),
    ),
    Scene(
        "Weighted BCE and focal loss",
        site.BINARY,
        "Weighted BCE counts every positive w = n_neg / n_pos times; focal loss turns down "
        "the easy points of both classes and, without α, gives the rare class no extra "
        "weight. Below: how many of the rare class each finds on these data.",
        {"bin_data_positive": 0.05, "bin_loss": "bce_weighted"},
        ("boundary", "lesson"),
    ),
    Scene(
        "CCE and sparse CCE: one number, cheaper labels",
        site.MULTICLASS,
        "CCE reads the true class from a one-hot row, sparse CCE from its index.",
        {},
        ("costs", "labels"),
        Question(
            "The same model on the same data: how does sparse CCE on the class numbers "
            "compare with CCE on one-hot rows?",
            predictions.SPARSE_OPTIONS,
            _sparse_answer,
            ("costs",),
        ),
    ),
)


def link(number: int) -> str:
    """The scene's link (path and query), for a lecturer's slides."""
    return f"{SCENES[number - 1].page.link}?present=1&scene={number}"


def _hooked(page: PageRecord, hook: str) -> str:
    if hook not in page.scene_hooks:
        raise ValueError(f"{page.view} records its {hook!r} but its PageRecord does not say so")
    return page.view


def record_data(page: PageRecord, data_args: dict) -> None:
    """What ``page`` drew this run (its data generator's arguments), for the question."""
    st.session_state.setdefault(DATA, {})[_hooked(page, "data")] = dict(data_args)


def record_outcome(page: PageRecord, outcome: Any) -> None:
    """What ``page``'s run did this time (the descent page's `lessons.descent.Judgement`,
    None when none ran): the question's answer is the page's own judgement."""
    st.session_state.setdefault(OUTCOME, {})[_hooked(page, "outcome")] = outcome


def _guess_key(number: int) -> str:
    return f"scene_{number}_guess"


def _reveal_key(number: int) -> str:
    return f"scene_{number}_reveal"


def _answer_key(number: int) -> str:
    return f"scene_{number}_answer"


def apply(number: int, *, keep: Collection[str] = ()) -> None:
    """Put scene ``number``'s settings in place: the page's widgets at their defaults, then
    the scene's values, except for keys in ``keep`` (a link's own values win)."""
    scene = SCENES[number - 1]
    state = st.session_state
    for key in [key for key in state if str(key).startswith(scene.page.prefix)]:
        if key not in keep:
            del state[key]
    for key in (_guess_key(number), _reveal_key(number), _answer_key(number)):
        state.pop(key, None)
    for key, value in scene.settings.items():
        if key not in keep:
            state[key] = value
    state[APPLIED] = number


def go_to(number: int, pages: Mapping[PageRecord, Any]) -> None:
    """Open scene ``number`` (its settings in place, its page, its link)."""
    apply(number)
    st.switch_page(pages[SCENES[number - 1].page], query_params={"present": "1", SCENE: number})


def current_number() -> int | None | str:
    """The scene the link asks for: its number, None for none, or the sentence saying why
    the link's scene cannot be shown."""
    raw = st.query_params.get(SCENE)
    if raw is None:
        return None
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if not 1 <= number <= len(SCENES):
        return f"This link asks for scene {raw!r}, but the tour has scenes 1 to {len(SCENES)}."
    return number


def scene_bar(
    pages: Mapping[PageRecord, Any], current_page: PageRecord
) -> Callable[[], None] | None:
    """The compact row of presentation mode, drawn before the page; returns what to draw
    after the page (the verdict on the student's answer), or None."""
    presentation.frame_style()
    presenter_keys.presenter_keys()  # Page Up / Down move the tour, whatever has focus
    number = current_number()
    st.session_state[presentation.SHOWN] = None
    if isinstance(number, int) and st.session_state.get(APPLIED) != number:
        keep = {key for key in st.query_params if key not in (presentation.PRESENT, SCENE)}
        apply(number, keep=keep)
        if SCENES[number - 1].page != current_page:
            st.switch_page(pages[SCENES[number - 1].page], query_params=st.query_params.to_dict())
    scene = SCENES[number - 1] if isinstance(number, int) else None
    if scene is not None and scene.page != current_page:
        scene = None  # the student left the tour's page: the page as it is, no scene
    # One row that never wraps: the title takes what the icons leave (the words beside the
    # icons are hidden on narrow screens by `presentation.frame_style`, kept as names).
    bar = st.container(
        horizontal=True, wrap=False, vertical_alignment="center", gap="small", key=presentation.BAR
    )
    at = number if scene is not None else 0
    with bar:
        back_help = "The previous scene (Page Up)"
        if st.button("◀", key="scene_back", disabled=at <= 1, shortcut="PageUp", help=back_help):
            go_to(at - 1, pages)
        if scene is None:
            st.markdown("**Presentation mode** · ▶ starts the lecture tour", width="stretch")
        else:
            st.markdown(f"**{number} / {len(SCENES)} · {scene.title}**", width="stretch")
        last, next_help = at >= len(SCENES), "The next scene (Page Down)"
        if st.button("▶", key="scene_next", disabled=last, shortcut="PageDown", help=next_help):
            go_to(at + 1, pages)
        presentation.settings_slot(st.container(width="content"))
        st.toggle("captions", key=presentation.CAPTIONS)
        exit_help = "Leave presentation mode"
        if st.button("exit", icon=":material/close:", key="present_exit", help=exit_help):
            presentation.switch(False)
            st.session_state.pop(APPLIED, None)
            st.rerun()
    if isinstance(number, str):
        st.info(number + " Use ◀ ▶ to move through the tour.")
    if scene is None:
        return None
    st.markdown(scene.narration)
    hidden: tuple[str, ...] = ()
    verdict = None
    if scene.question is not None:
        hidden, verdict = _ask(number, scene)
    st.session_state[presentation.SHOWN] = (scene.sections, hidden)
    return verdict


REVEALED = "(revealed)"


def _ask(number: int, scene: Scene) -> tuple[tuple[str, ...], Callable[[], None] | None]:
    """The question (until answered or revealed, with its charts hidden), then the verdict:
    drawn after the page has run, from the data it drew."""
    question, state = scene.question, st.session_state
    answer_key = _answer_key(number)
    if state.get(answer_key) is None:
        ask, reveal = st.columns([6, 1], vertical_alignment="bottom")

        def draw() -> None:
            prompt = question.prompt(state) if callable(question.prompt) else question.prompt
            ask.radio(
                prompt,
                question.options,
                index=None,
                horizontal=True,
                key=_guess_key(number),
                on_change=_keep_guess,
                args=(number,),
            )
            reveal.button(
                "reveal",
                key=_reveal_key(number),
                width="stretch",
                on_click=state.__setitem__,
                args=(answer_key, REVEALED),
            )

        # A prompt that names the page's settings is written once the page has read its
        # widgets (a link's values reach the session state only then).
        if callable(question.prompt):
            return question.hides, draw
        draw()
        return question.hides, None
    guess = state[answer_key]
    place = st.empty()

    def verdict() -> None:
        data = state.get(DATA, {}).get(scene.page.view)
        if data is None:
            return
        try:
            answer = question.answer(data, state)
        except ValueError as error:
            place.warning(f"The answer cannot be computed for these settings: {error}")
            return
        right = question.options[answer.index]
        if guess == REVEALED:
            place.info(f"**{right}.** {answer.why}")
        elif guess == right:
            place.success(f"Right: **{right}.** {answer.why}")
        else:
            place.warning(f"Not this time (you said: {guess}). **{right}.** {answer.why}")

    return (), verdict


def _keep_guess(number: int) -> None:
    st.session_state[_answer_key(number)] = st.session_state.get(_guess_key(number))


def tour_buttons(pages: Mapping[PageRecord, Any]) -> None:
    """Outside presentation mode: the sidebar's way in (this page, or the tour's start)."""
    st.session_state[presentation.SHOWN] = None
    with st.sidebar.container(key=touch.SIDEBAR_LAST):
        st.header("Lecture")
        present, tour = st.columns(2)
        if present.button(
            "Present",
            key="present_on",
            width="stretch",
            help="Big type, no sidebar: ?present=1 in the link",
        ):
            presentation.switch(True)
            st.rerun()
        tour_help = f"{len(SCENES)} scenes across the pages, in presentation mode"
        if tour.button("Tour", key="present_tour", width="stretch", help=tour_help):
            go_to(1, pages)
