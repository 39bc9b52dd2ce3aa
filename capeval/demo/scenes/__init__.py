"""The scenes of the demo, each a module with a `run_scene(demo)`; `main_job` holds the pipeline months."""
