"""The platform's apps say what they offer in their `AppConfig`, once; `ready()` is here.

Every app used to write the same `ready()`: import its nav, demo and report
modules, hand them to `core.registry`, declare its media folder, register its
restore check and its daily chores. An app's config now lists them as class
attributes and this base class does the registering:

    class RiskConfig(appconfig.ImvoConfig):
        name = "imvo.risk"
        offers = ("nav", "demo", "report")
        offers_from = {"disclosure_version": "tasks.on_disclosure_version"}

- `offers`: what the app gives the registry (`Registry.add_app`), each found at
  its usual place in the app (`USUAL_PLACE`, e.g. "nav" is `<app>.nav.links_for`);
  `offers_from` names the place of the others ("hook": "module.attribute").
- `media`: folders under MEDIA_ROOT its FileFields write, as
  (storage name, prefix, what) for `core.storage.register_media`.
- `verifiers`: {backup name: "module.function"} for `core.backup.register_verifier`.
- `daily_jobs`: (schedule name, "module.function", what) for `core.schedule.register_job`.
- `connect()`: what is the app's own (signal receivers, cache versions), after the rest.

Places are dotted paths inside the app, imported in `ready()` (not when the
config is read: the models are not loaded then). A hook the registry does not
know, or a place that is not a function, stops the start (`ImproperlyConfigured`).

Subclass it as `appconfig.ImvoConfig` (the module, not the class, imported into
an app's apps.py): Django takes the one AppConfig class it finds in apps.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, ClassVar

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from imvo.core.registry import Registry

# Where an app keeps what it offers the registry, unless `offers_from` says otherwise.
USUAL_PLACE: dict[str, str] = {
    "nav": "nav.links_for",
    "demo": "demo.load",
    "report": "report.report_sections",
    "follow_up": "followup.follow_ups",
}
# Every hook `Registry.add_app` takes.
HOOKS = frozenset(inspect.signature(Registry.add_app).parameters) - {"self", "app"}


class ImvoConfig(AppConfig):
    """An app of the platform: its offers, folders, restore checks and chores, declared."""

    offers: ClassVar[tuple[str, ...]] = ()
    offers_from: ClassVar[Mapping[str, str]] = {}
    media: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    verifiers: ClassVar[Mapping[str, str]] = {}
    daily_jobs: ClassVar[tuple[tuple[str, str, str], ...]] = ()

    def ready(self) -> None:
        from imvo.core import backup, schedule, storage
        from imvo.core.registry import registry

        offered = {hook: USUAL_PLACE.get(hook, "") for hook in self.offers} | dict(self.offers_from)
        unknown = sorted(set(offered) - HOOKS)
        if unknown:
            raise ImproperlyConfigured(
                f"{self.name} offers what the registry does not know: {unknown}"
            )
        if offered:
            registry.add_app(self.label, **{h: self.find(p) for h, p in offered.items()})
        for name, prefix, what in self.media:
            storage.register_media(name, prefix, what)
        for name, place in self.verifiers.items():
            backup.register_verifier(name, self.find(place))
        for name, place, what in self.daily_jobs:
            schedule.register_job(name, self.find(place), timedelta(days=1), what)
        self.connect()

    def connect(self) -> None:
        """The app's own wiring (signal receivers, cache versions); nothing by default."""

    def find(self, place: str) -> Callable[..., Any]:
        """The function at `place` ("module.attribute") inside this app."""
        if not place:
            raise ImproperlyConfigured(f"{self.name}: a hook without a place (use offers_from)")
        found = import_string(f"{self.name}.{place}")
        if not callable(found):
            raise ImproperlyConfigured(f"{self.name}.{place} is not a function")
        return found  # type: ignore[no-any-return]
