"""Train a network: the same small network, from the same initial weights, trained under two
losses side by side, and played back epoch by epoch in the browser."""

import streamlit as st

import losses
from lessons import reproduce
from losses import network_data
from losses.optimisers import KINDS, NAMES
from ui import controls, own_data, presentation, scenes, site
from ui.cache import key_of
from ui.live_chart import live_chart
from ui.network_cache import network_view, scripts, task_of
from ui.scrubber import live_scrubber

URL = controls.URL
DATASETS = (*network_data.CURVES, *network_data.SHAPES)
DATASET_NAMES = {
    "sine": "sine curve (regression)",
    "step": "step (regression)",
    "moons": "two moons (2 classes)",
    "circles": "circles (2 classes)",
    "xor": "XOR (2 classes)",
    "spiral": "spiral (3 classes)",
}
# A: the usual loss; B: the one the page's lessons set against it (robust, or noise-tolerant).
DEFAULTS = {
    "regression": ("mse", "huber"),
    "binary": ("bce", "gce"),
    "multiclass": ("cce", "gce_multiclass"),
}
LEARNING_RATES = controls.log_steps(1e-4, 1.0)
EPOCHS = (10, 20, 50, 100, 200, 500, 1000, 2000)
BATCHES = (0, 8, 16, 32, 64, 128)  # 0: full batch
WIDTHS = (2, 4, 8, 16, 32)
L2 = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
MINORITY = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
# The spiral's last class: a third is all three classes alike; more would make it the largest.
MINORITY_OF_THREE = (0.02, 0.05, 0.1, 0.2, 0.3, 1 / 3)
PLAY_MS = 80
NONE = "none"

show = presentation.shows
if show("intro"):
    st.title("Train a network")
    st.write(
        "One small network, two losses: both trainings start from the very same weights and "
        "see the same batches, so the loss is the only difference. Press ▶ to watch them "
        "learn side by side; each point's size is how hard it pulls on the training at that "
        "epoch (|∂ℓ/∂output|)."
    )

side = presentation.sidebar()
with side:
    st.header("Data")
    dataset = st.selectbox(
        "data set",
        DATASETS,
        index=DATASETS.index("moons"),
        format_func=DATASET_NAMES.get,
        key="net_data_set",
        bind=URL,
    )
    task = task_of(dataset)
    data_args = {
        "dataset": dataset,
        "n": st.select_slider(
            "number of points n",
            options=(50, 100, 200, 400, 1000, 2000, 5000),
            value=400,
            key="net_data_n",
            bind=URL,
            help="A quarter of them are held out for validation.",
        ),
    }
    if task == "regression":
        data_args |= {
            "noise": st.slider("noise", 0.0, 1.0, 0.1, step=0.05, key="net_data_noise", bind=URL),
            "outlier_fraction": st.slider(
                "outlier fraction", 0.0, 0.5, 0.0, step=0.01, key="net_data_outliers", bind=URL
            ),
            "outlier_magnitude": 3.0,
            "two_sided": False,
        }
        # Without outliers their size and side change nothing: shown once there are some.
        if data_args["outlier_fraction"] > 0:
            data_args["outlier_magnitude"] = st.slider(
                "outlier magnitude", 0.0, 10.0, 3.0, step=0.5, key="net_data_magnitude", bind=URL
            )
            data_args["two_sided"] = st.toggle(
                "outliers on both sides", value=False, key="net_data_two_sided", bind=URL
            )
    else:
        data_args |= {
            "minority_fraction": (
                st.select_slider(
                    "share of the rare class",
                    options=MINORITY_OF_THREE,
                    value=1 / 3,
                    format_func=lambda share: f"{100 * share:.3g} %",
                    key="net_data_minority_of_three",
                    bind=URL,
                    help="The spiral's last class is this share of the points, the other two "
                    "share the rest alike (33.3 %: all three alike).",
                )
                if task == "multiclass"
                else st.select_slider(
                    "share of the rare class",
                    options=MINORITY,
                    value=0.5,
                    format_func=lambda share: f"{100 * share:.3g} %",
                    key="net_data_minority",
                    bind=URL,
                    help="Class 1 is this share of the points (50 %: both alike).",
                )
            ),
            "label_noise": st.slider(
                "flipped labels",
                0.0,
                0.45,
                0.0,
                step=0.05,
                key="net_data_flipped",
                bind=URL,
                help="This share of the points gets a wrong label (drawn ✕). The validation "
                "accuracy on the true labels shows which loss ignored them.",
            ),
        }
    data_args["seed"] = controls.seed_control(key="net_data_seed")
    # A file takes the data set's task: x and y for a curve, two features and a label for
    # the others (0/1 for two classes, 0 … k−1 for the spiral's several).
    chosen = own_data.override(data_args, task, key_prefix="net")
    if "upload" in chosen:
        data_args = {"dataset": dataset, "seed": data_args["seed"], **chosen}
    st.header("Network")
    layers = st.select_slider("hidden layers", (1, 2, 3), value=2, key="net_layers", bind=URL)
    width = st.select_slider("units per layer", WIDTHS, value=16, key="net_units", bind=URL)
    activation = st.radio(
        "activation", ("tanh", "relu"), horizontal=True, key="net_activation", bind=URL
    )
    l2 = st.select_slider(
        "L2 λ",
        options=L2,
        value=0.0,
        format_func=lambda value: "none" if value == 0 else f"{value:g}",
        key="net_l2",
        bind=URL,
        help="Adds (λ/2)·Σ‖W‖² to the cost (the weights, not the biases); the cost charted "
        "is the loss alone.",
    )
    init_seed = int(
        st.number_input(
            "initial weights' seed",
            0,
            9999,
            0,
            key="net_init_seed",
            bind=URL,
            help="Both losses start from these same weights.",
        )
    )

scenes.record_data(site.NETWORK, data_args)
ids = [loss.id for loss in losses.by_task(task)]
first, second = DEFAULTS[task]
# The training's settings sit with the data and the network, so that the two losses are the
# one row of controls above the charts (three columns pushed the panels below the fold at
# 1280 × 800). A slide has no room even for that: while presenting, the losses sit behind
# the settings button too.
with side:
    st.header("Training")
    optimiser = st.selectbox(
        "optimiser",
        KINDS,
        index=KINDS.index("adam"),
        format_func=NAMES.get,
        key="net_optimiser",
        bind=URL,
    )
    learning_rate = st.select_slider(
        "learning rate η",
        options=LEARNING_RATES,
        value=0.01,
        format_func=controls.format_number,
        key="net_rate",
        bind=URL,
        help="The size of each step (log scale). Adam suits about 0.001–0.03; plain SGD "
        "needs larger steps.",
    )
    epochs = st.select_slider("epochs", EPOCHS, value=500, key="net_epochs", bind=URL)
    batch = st.select_slider(
        "batch size",
        BATCHES,
        value=0,
        format_func=lambda value: "full batch" if value == 0 else str(value),
        key="net_batch",
        bind=URL,
        help="Full batch: one step per epoch on every training point. A mini-batch: a "
        "shuffled few per step (the same batches for both losses).",
    )

if presentation.is_on():
    with side:
        st.header("Losses")
    loss_a_column = loss_b_column = side
else:
    loss_a_column, loss_b_column = st.columns(2, gap="large")
with loss_a_column:
    loss_a = controls.loss_picker(
        task, key=f"net_a_{task}", label="Loss A", default=first if first in ids else ids[0]
    )
    skip = ("from_logits", "eps") if loss_a.task != "regression" else ()
    params_a = controls.param_controls(loss_a, key_prefix="net_a", skip=skip)
with loss_b_column:
    b_default = second if second in ids else ids[min(1, len(ids) - 1)]
    b_id = st.selectbox(
        "Loss B",
        (*ids, NONE),
        index=ids.index(b_default),
        format_func=lambda i: "none (show A only)" if i == NONE else losses.get(i).name,
        key=f"net_b_{task}",
        bind=URL,
    )
    loss_b = None if b_id == NONE else losses.get(b_id)
    params_b = (
        controls.param_controls(
            loss_b, key_prefix="net_b", skip=("from_logits", "eps") if task != "regression" else ()
        )
        if loss_b
        else {}
    )
choices = [(loss_a.id, key_of(params_a))]
if loss_b is not None:
    choices.append((loss_b.id, key_of(params_b)))
network = key_of(
    {
        "hidden": (width,) * layers,
        "activation": activation,
        "init_seed": init_seed,
        "optimiser": key_of({"kind": optimiser, "learning_rate": learning_rate}),
        "epochs": epochs,
        "batch_size": batch or None,
        "batch_seed": data_args["seed"],
        "l2": l2,
    }
)
try:
    view = network_view(key_of(data_args), tuple(choices), network, data_args["seed"])
except ValueError as error:
    scenes.record_outcome(site.NETWORK, None)
    st.warning(f"The networks cannot be trained with these settings: {error}")
    st.stop()
for note in view.notes:
    st.info(note)
scenes.record_outcome(site.NETWORK, view.answers)

follows = {}
if show("panels") or show("cost"):
    epoch = live_scrubber(
        "epoch",
        view.epochs,
        key="net_epoch",
        default=view.epochs[-1],
        frame_ms=PLAY_MS,
        help="Drag, or press ▶: both networks, the points' pull and the cost marker move together.",
        readouts=view.readouts,
        restart=(tuple(choices), key_of(data_args), network),
    )
    follows = {"follows": "net_epoch", "active": view.epochs.index(epoch)}

if show("panels"):
    # A plane keeps its true shape: alone, it keeps the half it has beside B's, where the
    # whole width would only add white around it. A curve uses the width.
    count = len(view.panels) if task == "regression" else max(2, len(view.panels))
    boxes = st.columns(count, gap="medium")
    for box, panel, key, alt in zip(
        boxes, view.panels, ("net_panel_a", "net_panel_b"), view.alt["panels"], strict=False
    ):
        with box:
            live_chart(panel, key=key, alt=alt, **follows)
    if task == "regression":
        # A student's file has no known true curve (ui.network_cache draws none).
        line = "the coloured line: the network at the epoch shown."
        shown = (
            f"Dashed: the true curve; {line}" if "upload" not in data_args else line.capitalize()
        )
        st.caption(
            f"{shown} Each point's size is its pull |∂ℓ/∂ŷ| at that epoch, against the "
            "strongest one then; outliers as dark diamonds."
        )
    else:
        # A margin loss's output is a score: its panel colours σ(score), no probability.
        scored = [loss.short for loss in (loss_a, loss_b) if loss is not None and loss.scores]
        margin = (
            f" {' and '.join(dict.fromkeys(scored))}: a score, not a probability, so its colour "
            "is σ(score); its black line is still its boundary, score 0."
            if scored
            else ""
        )
        boundary = "; the black line: P = ½" if task == "binary" else ""
        flips = ", ✕ where the label was flipped" if data_args.get("label_noise") else ""
        st.caption(
            f"Colour: the network's probability of each class over the plane (white: even "
            f"odds{boundary}).{margin} Points: the training data{flips}; each point's size is "
            "its pull |∂ℓ/∂output| at the epoch shown, against the strongest one then."
        )

if show("outcome"):
    for sentence in view.sentences:
        st.write(sentence)

if show("cost"):
    st.subheader("Cost per epoch")
    live_chart(view.cost, key="net_cost_chart", alt=view.alt["cost"], **follows)
    st.caption(
        "Solid: the cost on the training points; dotted: on the held-out validation points. "
        "Each loss's cost is on its own scale, so compare each curve's shape, not the two "
        "heights. The vertical line is the epoch shown."
    )

if view.reliability is not None and show("reliability"):
    st.subheader("Reliability on the validation points")
    live_chart(view.reliability, key="net_reliability", alt=view.alt["reliability"], **follows)
    st.caption(
        "Each point is one bin of validation points by the network's confidence (the top "
        "class's probability): how sure it was against how often it was right. On the "
        "dashed diagonal the network is calibrated; ECE is the points' average distance "
        "from it, weighted by how many points each bin holds."
    )

if show("reproduce"):
    box = st.expander(
        "Reproduce a training in PyTorch or NumPy", key="net_reproduce", on_change="rerun"
    )
    if box.open:
        with box:
            shown = st.radio(
                "the training of",
                range(len(choices)),
                format_func=lambda index: f"{'AB'[index]}: {view.names[index]}",
                horizontal=True,
                key="net_reproduce_which",
            )
            expected = view.final_costs[shown]
            if expected is None:
                st.info(
                    "This training stopped when its outputs overflowed, so there is no last "
                    "cost to reproduce; lower the learning rate η."
                )
            else:
                code, csv = scripts(
                    key_of(data_args), choices[shown], network, data_args["seed"], expected
                )
                st.markdown(
                    f"The training cost after {epochs} epochs: `{expected!r}`. Each script "
                    "builds the same network, loads the same initial weights and trains it "
                    "on the same batches with the same optimiser, then prints that cost."
                )
                if csv is not None:
                    st.download_button(
                        "Download training.csv",
                        csv,
                        file_name="training.csv",
                        mime="text/csv",
                        key="net_reproduce_csv",
                        on_click="ignore",
                    )
                    st.caption("The points are too many to write in: each script reads them.")
                for tab, (framework, script) in zip(st.tabs(list(code)), code.items(), strict=True):
                    with tab:
                        if script is None:
                            st.info(reproduce.missing(choices[shown][0], framework))
                        else:
                            st.code(script, language="python")
