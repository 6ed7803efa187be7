"""Pure statistics for trede (no Django): survival data preparation, Kaplan-Meier, Cox and the explainable
time-to-work model. Everything here works on plain arrays and DataFrames so it can be tested on published data."""
