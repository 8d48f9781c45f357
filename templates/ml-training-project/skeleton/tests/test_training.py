"""python -m unittest (from the project folder). The feature-view checks read
the real datasets: set LAKEPORT_LAKEHOUSE_ROOT."""

import os
import unittest

import numpy as np
import pandas as pd
from feast import Entity

from training import features
from training.model import fit, prepare


class ModelTest(unittest.TestCase):
    def test_text_is_one_hot_and_booleans_are_numbers(self):
        x = prepare(pd.DataFrame({"n": [1, None], "flag": [True, False], "segment": ["a", "b"]}))
        self.assertEqual(sorted(x.columns), ["flag", "n", "segment_a", "segment_b"])
        self.assertEqual(x["flag"].tolist(), [1.0, 0.0])

    def test_a_learnable_label_is_learned(self):
        rng = np.random.default_rng(1)
        x = pd.DataFrame({"signal": rng.normal(size=400), "noise": rng.normal(size=400)})
        model, metrics, task = fit(x, x["signal"] > 0)
        self.assertEqual(task, "classification")
        self.assertGreater(metrics["roc_auc"], 0.9)
        _, metrics, task = fit(x, x["signal"] * 100)
        self.assertEqual(task, "regression")
        self.assertGreater(metrics["r2"], 0.8)


@unittest.skipUnless(os.environ.get("LAKEPORT_LAKEHOUSE_ROOT"), "set LAKEPORT_LAKEHOUSE_ROOT")
class FeatureViewsTest(unittest.TestCase):
    def test_each_dataset_gives_a_view_without_key_time_label_or_masked_columns(self):
        config = features.load_config()
        root = features.lakehouse_root()
        key = config["entityKey"]
        entity = Entity(name=key, join_keys=[key])
        for table in config["datasets"]:
            view = features.feature_view(config, table, root, entity)
            names = {f.name for f in view.features}
            self.assertTrue(names, table)
            left_out = {key, view.batch_source.timestamp_field, config["labels"]["column"]}
            left_out |= features.masked_columns(config, table)
            self.assertFalse(names & left_out, table)
            self.assertEqual(view.batch_source.path, str(features.table_path(root, table)))


if __name__ == "__main__":
    unittest.main()
