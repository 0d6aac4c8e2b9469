"""Parents informed as the state service requires (DOMAIN.md, "Informing pupils and
parents"; issue 13): e-mail digests of what is new in the register for the families who
consented, report cards on paper for the rest, every delivery logged.

- `notify_parents(db, actor, smtp, …)`: a run (`ejournal notify parents`, the TUI's "send
  this family's digest now" with `pupil_ids`); returns a `NotifyReport`.
- `smtp_settings(config)`: the mail settings of the program's settings.
- `last_deliveries(uow, pupil_ids)`: each pupil's last delivery (`DeliveryInfo`).
- `delivery_log(uow, actor, …)`: the log as `ejournal notify log` shows it.

The modules: `scope` (whose parents, who may), `domain.families` (who goes together),
`plan` and `gather` (what is new), `exporters.digest_mail` (the message), `smtp` (sending),
`cards` (report cards on paper and attached), `log` (the delivery log), `run` (the run),
`lock` (one sending run per school at a time).
"""

from __future__ import annotations

from ejournal_tui.services.notify.lock import RunUnderWay
from ejournal_tui.services.notify.log import DeliveryInfo, LogEntry, last_deliveries
from ejournal_tui.services.notify.query import delivery_log
from ejournal_tui.services.notify.run import Failure, NotifyReport, notify_parents
from ejournal_tui.services.notify.smtp import ServerUnreachable, SmtpSettings, smtp_settings

__all__ = ["DeliveryInfo", "Failure", "LogEntry", "NotifyReport", "RunUnderWay", "ServerUnreachable", "SmtpSettings",
           "delivery_log", "last_deliveries", "notify_parents", "smtp_settings"]
