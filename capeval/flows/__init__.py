"""capeval's Prefect flows (orchestration only). Importing the package, before Prefect itself, turns Prefect's
server analytics off unless the environment already says otherwise: an ephemeral server a flow run starts
inherits the setting."""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
