"""The one list of solvers. Adding a kind: one module, one line here."""

from __future__ import annotations

from typing import Any

from solvers.architecture import ArchitectureSolver
from solvers.base import Solver
from solvers.clipping import ClippingSolver
from solvers.confusion import ConfusionSolver
from solvers.confusion_multiclass import MulticlassConfusionSolver
from solvers.dropout import DropoutSolver
from solvers.early_stopping import EarlyStoppingSolver
from solvers.ensemble import EnsembleSolver
from solvers.gradient_matrix import GradientMatrixSolver
from solvers.gradient_shape import GradientShapeSolver
from solvers.initialization import InitializationSolver
from solvers.optimizer import OptimizerSolver
from solvers.regularization import RegularizationSolver
from solvers.vanishing import VanishingSolver

SOLVERS: tuple[Solver[Any], ...] = (
    ConfusionSolver(),
    MulticlassConfusionSolver(),
    DropoutSolver(),
    GradientShapeSolver(),
    GradientMatrixSolver(),
    InitializationSolver(),
    ArchitectureSolver(),
    EarlyStoppingSolver(),
    EnsembleSolver(),
    OptimizerSolver(),
    RegularizationSolver(),
    ClippingSolver(),
    VanishingSolver(),
)

_BY_KIND = {solver.kind: solver for solver in SOLVERS}


def solver_for(kind: str) -> Solver[Any] | None:
    """The registered solver of this kind, or None."""
    return _BY_KIND.get(kind)
