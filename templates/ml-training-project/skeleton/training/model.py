"""The model: edit here. A scaled linear model (scikit-learn): logistic
regression when the label has few distinct values, ridge regression
otherwise; scored on a held-out quarter of the rows. MLflow saves models
with skops, whose safe loader trusts these types; tree models need
`skops_trusted_types` in train.py's log_model."""

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    mean_absolute_error,
    r2_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# A label with at most this many distinct values is a class.
MAX_CLASSES = 20


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as they are, booleans as 0/1, text one-hot encoded; a missing
    feature (no row at the as-of time) counts as 0."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = frame[column].astype(int)
    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or str(frame[c].dtype) in ("string", "category")
    ]
    frame = pd.get_dummies(frame, columns=text, dtype=int)
    return frame.astype(float).fillna(0.0)


def fit(x: pd.DataFrame, y: pd.Series):
    """(model, metrics, task): scored on held-out rows, then fitted on all."""
    if y.dtype == bool:
        y = y.astype(int)
    classify = y.nunique() <= MAX_CLASSES
    stratify = y if classify and y.value_counts().min() >= 2 else None
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=42, stratify=stratify
    )
    if classify:
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        binary = y.nunique() == 2
        metrics = {
            "accuracy": accuracy_score(y_test, predicted),
            "f1": f1_score(y_test, predicted, average="binary" if binary else "macro", zero_division=0),
        }
        if binary and y_test.nunique() == 2:
            metrics["roc_auc"] = roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])
    else:
        model = make_pipeline(StandardScaler(), Ridge())
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        metrics = {
            "rmse": float(np.sqrt(np.mean((y_test - predicted) ** 2))),
            "mae": mean_absolute_error(y_test, predicted),
            "r2": r2_score(y_test, predicted),
        }
    model.fit(x, y)
    task = "classification" if classify else "regression"
    return model, {k: float(v) for k, v in metrics.items()}, task
