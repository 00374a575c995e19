"""The simulated district: seven upstream feeds with their quirks, faults and ground truth.

from simulator import Simulation, FaultPlan
with Simulation(workdir, start=date(2025, 6, 1), days=7) as sim:
    os.environ.update(sim.env)
"""

from simulator.faults import FaultPlan
from simulator.simulation import Simulation

__all__ = ["FaultPlan", "Simulation"]
