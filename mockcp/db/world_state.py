"""The world's shared clock as a row, so every process on one store tells the same time."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from mockcp.db.models import Base


class SimClockRow(Base):
    """The one simulated clock of the world (id 1): ``ClockState`` plus a version for
    optimistic updates. ``wall`` is a Unix time, which every process on one host reads alike."""

    __tablename__ = "sim_clock"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    origin: Mapped[datetime]
    anchor: Mapped[datetime]
    wall: Mapped[float]
    factor: Mapped[float]
    version: Mapped[int] = mapped_column(default=0)
