"""The evaluation harness, by concern.

* :mod:`.gold` -- the one gold loader (old and new format), text references, corpora;
* :mod:`.metrics` -- pure metric functions, including the per-sub-question draft metrics;
* :mod:`.judge` -- ragas wrappers and the optional LLM judge (litellm seam, token cap);
* :mod:`.gate` -- thresholds and the CI gate;
* :mod:`.run` -- the runner behind ``assistant evals`` (``run.main``);
* :mod:`.report` -- the text table, the Markdown report with plots, the comparison with an earlier run.

Nothing heavy is imported here; ragas, matplotlib and the index are imported on use.
"""
