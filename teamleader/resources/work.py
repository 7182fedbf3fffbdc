"""``client.projects_v2.projects``, ``client.tasks`` and ``client.events``."""

from __future__ import annotations

from ..endpoints.events import EventsEndpoints
from ..endpoints.projects_v2.projects import ProjectsV2ProjectsEndpoints
from ..endpoints.tasks import TasksEndpoints
from ..models import Event, Project, Task

__all__ = ["Events", "ProjectsV2Projects", "Tasks"]


class ProjectsV2Projects(ProjectsV2ProjectsEndpoints):
    """Every ``projects-v2/projects.*`` endpoint, plus :meth:`get`.

    ``client.projects`` is the legacy projects module; this is the new one.
    """

    def get(self, id: str) -> Project:
        """The project with this id (``projects-v2/projects.info``)."""
        return self.info(id)


class Tasks(TasksEndpoints):
    """Every ``tasks.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Task:
        """The task with this id (``tasks.info``)."""
        return self.info(id)


class Events(EventsEndpoints):
    """Every ``events.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Event:
        """The calendar event with this id (``events.info``)."""
        return self.info(id)
