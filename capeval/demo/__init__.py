"""The demo: a fictitious society, its people and months of pipeline, played through the services.

The people, projects and statements come from the TOML files of `data/`; scenes name people and cases by
their keys in `data/cast.toml`; every read goes through `capeval.services.queries` and every write through
a service handler. `run_demo` (in `capeval.demo.run`) plays the whole story.
"""
