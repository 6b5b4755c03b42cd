"""What each page computes and says: its tables, counts, metrics and sentences.

One module per page or topic, as plain functions and dataclasses on top of the loss core
(`losses`): numpy, pandas and the standard library only, no Streamlit and no Plotly, so every
number and sentence a page shows is tested without a browser.

- `cost_table`: loss versus cost on the table a student edits (home page).
- `curves`: one loss, or several, as curves of value and gradient along one axis.
- `robustness`: what outliers do to each regression fit (regression page).
- `huber_lab`: Huber's δ swept, and its MSE/MAE limits (Huber lab).
- `metrics`, `imbalance`: a classifier's confusion counts and the imbalance lesson (binary).
- `label_memory`, `one_sample`, `multiclass_fit`: one-hot versus index labels, one sample's
  softmax and gradient, and a fitted softmax model (multi-class page).
- `two_hot`: one true class per sample: a two-hot target under softmax + CCE and under one
  sigmoid + BCE per class (multi-class page).
- `y_scale`: every y multiplied by s: each loss's fitted cost and Huber's zones (regression page).
- `display_numbers`: shares and signed numbers written as the pages show them.
"""
