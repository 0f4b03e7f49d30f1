"""Splink 5.0 (DuckDB) on one benchmark data set, following Splink's
documented workflow: blocking rules, comparisons, u by random sampling,
m by EM on two blocking rules, predict at probability 0.5.
Usage: splink_run.py DATASET OUT.csv FILE [FILE]. Writes id_l,id_r pairs."""
import sys

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

dataset, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
dfs = [pd.read_csv(f, dtype=str, keep_default_na=False).replace("", None) for f in files]
db = DuckDBAPI()

if dataset.startswith("febrl"):
    for d in dfs:
        d.rename(columns={"rec_id": "unique_id"}, inplace=True)
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number"),
        cl.PostcodeComparison("postcode"),
        cl.ExactMatch("state"),
        cl.JaroWinklerAtThresholds("suburb", [0.9]),
        cl.JaroWinklerAtThresholds("address_1", [0.9]),
    ]
    rules = [block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
             block_on("soc_sec_id"), block_on("postcode", "street_number")]
    train = [block_on("given_name", "surname"), block_on("date_of_birth")]
    deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
elif dataset == "fake_1000":
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.EmailComparison("email"),
    ]
    rules = [block_on("first_name"), block_on("surname"), block_on("dob"), block_on("email")]
    train = [block_on("first_name", "surname"), block_on("dob")]
    deterministic = [block_on("first_name", "surname", "dob"), block_on("email")]
else:  # qantar synth
    for d in dfs:
        d.rename(columns={"record_id": "unique_id"}, inplace=True)
    comparisons = [
        cl.NameComparison("full_name").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("birth_date", input_is_string=True),
        cl.ExactMatch("age"),
        cl.ExactMatch("sex"),
        cl.ExactMatch("city"),
    ]
    # The second list is in Latin letters and the first in Cyrillic, so no
    # rule on names, sex or city makes a single pair across the lists; the
    # birth date is the only usable block. For the same reason no
    # deterministic rule can estimate the prior: it is set from the
    # generator's known overlap (each person on each list with chance 0.6,
    # so about 0.6 x the first list's rows are matches), which favours Splink.
    rules = [block_on("birth_date"), block_on("age")]
    train = [block_on("birth_date")]
    deterministic = None

settings = SettingsCreator(
    link_type="link_only" if len(dfs) == 2 else "dedupe_only",
    comparisons=comparisons,
    blocking_rules_to_generate_predictions=rules,
    retain_intermediate_calculation_columns=False,
    **({} if deterministic else {"probability_two_random_records_match":
                                 0.6 * len(dfs[0]) / (len(dfs[0]) * len(dfs[-1]))}),
)
tables = [db.register(d) for d in dfs]
linker = Linker(tables if len(tables) > 1 else tables[0], settings)
if deterministic:
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
for rule in train:
    linker.training.estimate_parameters_using_expectation_maximisation(rule)
pred = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
pred[["unique_id_l", "unique_id_r"]].to_csv(out, index=False, header=["id_l", "id_r"])
