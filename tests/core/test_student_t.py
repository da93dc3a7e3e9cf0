"""Student's t quantiles without SciPy agree with SciPy's (SciPy is kept for this test)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from platsa.core.analysis.student_t import SERIES_FROM_DF, t_quantile


@pytest.mark.parametrize("p", [0.95, 0.975, 0.995])
def test_quantiles_agree_with_scipy(p):
    df = np.concatenate(
        [
            np.arange(1, 1200, 1.0),  # whole numbers: a sample of n has n - 1
            np.arange(1.5, 60, 0.37),  # Welch's test gives fractions
            np.geomspace(SERIES_FROM_DF - 1, 1e8, 400),  # both sides of the series' start
        ]
    )
    ours = t_quantile(df, p)
    assert np.allclose(ours, special.stdtrit(df, p), rtol=2e-13, atol=0)


def test_shapes_and_degrees_below_one():
    df = np.array([[0.0, 0.5, 1.0], [np.nan, 29.0, 5e5]])
    out = t_quantile(df, 0.975)
    assert out.shape == df.shape
    assert np.isnan(out[0, :2]).all()
    assert np.isnan(out[1, 0])
    assert out[0, 2] == pytest.approx(12.706204736174698, rel=1e-14)
    assert out[1, 1] == pytest.approx(2.045229642132703, rel=1e-14)
