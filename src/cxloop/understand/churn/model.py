"""The churn model: gradient boosting with isotonic calibration, as a scikit-learn style
estimator (hyper-parameters in ``__init__``, ``fit`` returns self, learned state ends in ``_``).

Gradient boosting (``HistGradientBoostingClassifier``) reads missing values natively (a
customer who never answered a survey has no NPS), and its probabilities are calibrated by
isotonic regression with three-fold cross-fitting (``CalibratedClassifierCV``): each fold's
booster is calibrated on the rows it did not see, and the risk is the mean of the three.
Everything is seeded, so the same data gives the same model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from cxloop.errors import DataError

#: the fewest rows of each class a fit needs (three calibration folds of at least ten)
MIN_CLASS_ROWS = 30


class ChurnModel:
    """Calibrated probability that a customer places no purchase within the horizon.

    Parameters
    ----------
    features
        The columns of the frames given to :meth:`fit` and :meth:`predict_risk`, in order.
    max_iter, learning_rate, max_depth, min_samples_leaf, l2_regularization
        Passed to ``HistGradientBoostingClassifier``: a shallow, slowly learning booster,
        because churn labels are noisy.
    calibration_folds
        Folds of the isotonic calibration.
    random_state
        Seed of the booster.
    threads
        OpenMP threads of the booster (None: all cores). One by default: on a busy machine
        more threads than free cores make gradient boosting ten times slower, and one thread
        fits a hundred thousand rows in seconds.

    Examples
    --------
    >>> model = ChurnModel(["days_since_last_order"]).fit(frame, frame["churned"])  # doctest: +SKIP
    >>> model.predict_risk(frame)[:3]  # doctest: +SKIP
    array([0.81, 0.42, 0.66])
    """

    def __init__(
        self,
        features: Sequence[str],
        *,
        max_iter: int = 150,
        learning_rate: float = 0.03,
        max_depth: int = 3,
        min_samples_leaf: int = 80,
        l2_regularization: float = 1.0,
        calibration_folds: int = 3,
        random_state: int = 0,
        threads: int | None = 1,
    ) -> None:
        self.features = tuple(features)
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.calibration_folds = calibration_folds
        self.random_state = random_state
        self.threads = threads

    def fit(self, frame: pd.DataFrame, churned: Sequence[int] | pd.Series) -> ChurnModel:
        """Fit on the :attr:`features` of ``frame`` and the 0/1 labels ``churned``; features
        missing on every row are left out (``columns_`` holds those used)."""
        y = np.asarray(churned, dtype=int)
        counts = np.bincount(y, minlength=2)
        if counts.min() < MIN_CLASS_ROWS:
            raise DataError(
                f"too few customers to fit churn: {counts[1]} churned and {counts[0]} stayed "
                f"(each needs at least {MIN_CLASS_ROWS})"
            )
        # a feature nobody has a value for (no survey ever asked CES) cannot be binned
        self.columns_ = tuple(c for c in self.features if frame[c].notna().any())
        if not self.columns_:
            raise DataError("every churn feature is missing")
        booster = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_depth=self.max_depth,
            min_samples_leaf=min(self.min_samples_leaf, max(5, len(y) // 20)),
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state,
        )
        with threadpool_limits(limits=self.threads, user_api="openmp"):
            self.calibrated_ = CalibratedClassifierCV(
                booster, method="isotonic", cv=self.calibration_folds
            ).fit(self._matrix(frame), y)
        self.base_rate_ = float(y.mean())
        self.rows_ = len(y)
        return self

    @property
    def used_features(self) -> tuple[str, ...]:
        """The features the fitted booster reads (``columns_``; all of them for a model
        saved before features could be left out)."""
        return tuple(getattr(self, "columns_", self.features))

    def predict_risk(self, frame: pd.DataFrame) -> np.ndarray:
        """The calibrated churn probability of each row of ``frame``."""
        if len(frame) == 0:
            return np.zeros(0)
        with threadpool_limits(limits=self.threads, user_api="openmp"):
            risk = self.calibrated_.predict_proba(self._matrix(frame))[:, 1]
        return np.asarray(risk, dtype=float)

    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        missing = [c for c in self.features if c not in frame.columns]
        if missing:
            raise DataError(f"the churn features lack column(s) {', '.join(missing)}")
        return frame.loc[:, list(self.used_features)].to_numpy(dtype=float)
