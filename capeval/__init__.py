"""capeval: the workflow system of the engineering capability evaluation pipeline."""

__version__ = "0.1.0"
