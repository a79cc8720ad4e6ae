import json
import os
import struct
import tempfile
import unittest

import numpy as np

from ssh_peft_torch.adapter_file import (Adapter, AdapterLayer, adapter_digest, decode_adapter, encode_adapter,
                                         read_adapter_file, write_adapter_file)
from ssh_peft_torch.errors import AdapterFormatError
from ssh_peft_torch.jsjson import dumps, js_number
from ssh_peft_torch.spectral import delta_weight64

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "docs", "examples", "example-adapter.safetensors")
EXPECTED = os.path.join(ROOT, "docs", "examples", "example-adapter.expected.json")
EXAMPLE_V1 = os.path.join(ROOT, "packages", "adapter", "test", "fixtures", "example-adapter-v1.safetensors")


def sample_adapter():
    config = {"variant": "true", "normalization": "ortho", "init": "zeros", "initStd": 0, "seed": 3,
              "selection": {"strategy": "global", "budget": 5, "energyRatio": 0.7}, "metadata": {"task": "ü ✓"}}
    return Adapter(config, [
        AdapterLayer("blocks.0.q", 4, 3, 300.0, "ssh-fp1:4x3:0123456789abcdef", np.array([7, 1, 11], np.uint32), np.array([0.5, -1.25, 3e-8], np.float32)),
        AdapterLayer("blocks.0.v", 2, 5, 12.5, "ssh-fp1:2x5:0123456789abcdef", np.array([0, 9], np.uint32), np.array([1, 2], np.float32)),
    ])


def header_of(data):
    (n,) = struct.unpack("<Q", data[:8])
    return n, json.loads(data[8:8 + n])


class AdapterFileTest(unittest.TestCase):
    def test_example_file_is_rewritten_byte_for_byte_and_the_v1_fixture_decodes_alike(self):
        with open(EXAMPLE, "rb") as f:
            data = f.read()
        a = decode_adapter(data)
        self.assertEqual(a.version, 2)
        self.assertEqual(encode_adapter(a), data)  # the TypeScript writer's bytes, digest included
        v1 = read_adapter_file(EXAMPLE_V1)
        self.assertEqual(v1.version, 1)
        self.assertEqual(v1.config, a.config)
        for l1, l2 in zip(v1.layers, a.layers):
            np.testing.assert_array_equal(l1.coefficients, l2.coefficients)

    def test_example_file_gives_the_typescript_delta(self):
        a = read_adapter_file(EXAMPLE)
        with open(EXPECTED, encoding="utf-8") as f:
            expected = json.load(f)["layers"]
        for layer in a.layers:
            got = delta_weight64(layer.rows, layer.cols, layer.indices, layer.coefficients, layer.alpha,
                                 a.config["variant"], a.config["normalization"])
            want = np.array(expected[layer.name]["deltaWeight"]).reshape(layer.rows, layer.cols)
            np.testing.assert_allclose(got, want, atol=1e-15, rtol=0, err_msg=layer.name)

    def test_version_2_layout_and_digest_follow_the_spec(self):
        data = encode_adapter(sample_adapter())
        n, header = header_of(data)
        self.assertEqual((8 + n) % 8, 0)
        meta = header["__metadata__"]
        self.assertEqual(list(meta), ["ssh_peft.format", "ssh_peft.version", "ssh_peft.config", "ssh_peft.metadata", "ssh_peft.layers", "ssh_peft.digest"])
        self.assertEqual(meta["ssh_peft.version"], "2")
        self.assertEqual(meta["ssh_peft.layers"], '[{"name":"blocks.0.q","rows":4,"cols":3,"alpha":300,"fingerprint":"ssh-fp1:4x3:0123456789abcdef"},'
                                                  '{"name":"blocks.0.v","rows":2,"cols":5,"alpha":12.5,"fingerprint":"ssh-fp1:2x5:0123456789abcdef"}]')
        self.assertEqual(list(header)[1:], ["blocks.0.q.indices", "blocks.0.q.coefficients", "blocks.0.v.indices", "blocks.0.v.coefficients"])
        # the digest message built by hand from the spec, independently of adapter_digest
        import hashlib
        msg = b""
        field = lambda b: struct.pack("<Q", len(b)) + b
        for key in ["ssh_peft.format", "ssh_peft.version", "ssh_peft.config", "ssh_peft.metadata", "ssh_peft.layers"]:
            msg += field(key.encode()) + field(meta[key].encode())
        body = data[8 + n:]
        for name, info in list(header.items())[1:]:
            s, e = info["data_offsets"]
            msg += field(name.encode()) + field(info["dtype"].encode()) + field(b"".join(struct.pack("<Q", d) for d in info["shape"])) + field(body[s:e])
        self.assertEqual(meta["ssh_peft.digest"], "sha256:" + hashlib.sha256(msg).hexdigest())
        back = decode_adapter(data)
        self.assertEqual(back.version, 2)
        self.assertEqual(back.config, sample_adapter().config)
        self.assertEqual(encode_adapter(back), data)

    def test_a_changed_byte_anywhere_in_the_data_is_refused_by_the_digest(self):
        data = bytearray(encode_adapter(sample_adapter()))
        n, _ = header_of(bytes(data))
        for offset in range(8 + n, len(data)):
            bad = bytearray(data)
            bad[offset] ^= 0x01
            try:
                decode_adapter(bytes(bad), file="a.safetensors")
            except AdapterFormatError as e:
                self.assertIn("a.safetensors", str(e))
            else:
                self.fail(f"flipped bit at byte {offset} was accepted")

    def test_rejects_what_the_format_forbids_naming_the_place(self):
        good = encode_adapter(sample_adapter())
        n, header = header_of(good)

        def rebuild(mutate_meta=None, mutate_header=None, body=None, redigest=True):
            h = json.loads(json.dumps(header))
            if mutate_header:
                mutate_header(h)
            if mutate_meta:
                mutate_meta(h["__metadata__"])
            if redigest and "ssh_peft.digest" in h["__metadata__"]:
                data_body = body if body is not None else good[8 + n:]
                tensors = [(k, v["dtype"], v["shape"], data_body[v["data_offsets"][0]:v["data_offsets"][1]]) for k, v in h.items() if k != "__metadata__"]
                h["__metadata__"]["ssh_peft.digest"] = adapter_digest(h["__metadata__"], tensors)
            text = dumps(h).encode()
            return struct.pack("<Q", len(text)) + text + (body if body is not None else good[8 + n:])

        cases = {
            "version": (rebuild(lambda m: m.__setitem__("ssh_peft.version", "3")), "ssh_peft.version"),
            "missing digest": (rebuild(lambda m: m.pop("ssh_peft.digest"), redigest=False), "ssh_peft.digest"),
            "bad digest text": (rebuild(lambda m: m.__setitem__("ssh_peft.digest", "sha256:XYZ"), redigest=False), "ssh_peft.digest"),
            "variant": (rebuild(lambda m: m.__setitem__("ssh_peft.config", m["ssh_peft.config"].replace('"true"', '"diagonal"'))), "ssh_peft.config"),
            "nan": (rebuild(body=good[8 + n:8 + n + 24 + 8] + struct.pack("<f", float("nan")) + good[8 + n + 36:]), "blocks.0.q.coefficients"),
            "duplicate index": (rebuild(body=struct.pack("<qqq", 7, 1, 7) + good[8 + n + 24:]), "blocks.0.q.indices"),
            "index range": (rebuild(body=struct.pack("<qqq", 7, 1, 12) + good[8 + n + 24:]), "blocks.0.q.indices"),
            "truncated": (good[:-1], "truncated"),
        }
        for label, (data, needle) in cases.items():
            with self.assertRaises(AdapterFormatError, msg=label) as ctx:
                decode_adapter(data, file="x.safetensors")
            self.assertIn(needle, str(ctx.exception), label)

    def test_version_1_without_digest_is_read(self):
        a = sample_adapter()
        data = encode_adapter(a)
        n, header = header_of(data)
        meta = header["__metadata__"]
        meta["ssh_peft.version"] = "1"
        del meta["ssh_peft.digest"]
        text = dumps(header).encode()
        v1 = struct.pack("<Q", len(text)) + text + data[8 + n:]
        self.assertEqual(decode_adapter(v1).version, 1)

    def test_writes_are_atomic_and_never_replace_without_overwrite(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "a.safetensors")
            write_adapter_file(sample_adapter(), path)
            with self.assertRaises(FileExistsError):
                write_adapter_file(sample_adapter(), path)
            bad = sample_adapter()
            bad.layers[0].coefficients[0] = np.inf
            with self.assertRaises(ValueError):
                write_adapter_file(bad, path, overwrite=True)
            self.assertEqual(os.listdir(d), ["a.safetensors"])
            self.assertEqual(read_adapter_file(path).layers[1].name, "blocks.0.v")

    def test_peft_directory_round_trip_and_a_disagreeing_config_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "adapter")
            write_adapter_file(sample_adapter(), path)
            self.assertEqual(sorted(os.listdir(path)), ["adapter_config.json", "adapter_model.safetensors"])
            with open(os.path.join(path, "adapter_config.json"), encoding="utf-8") as f:
                config = json.load(f)
            self.assertEqual(config["alpha_pattern"], {"blocks.0.q": 300, "blocks.0.v": 12.5})
            self.assertEqual(read_adapter_file(path).layers[0].name, "blocks.0.q")
            config["alpha_pattern"]["blocks.0.q"] = 301
            config["base_model_name_or_path"] = "extra keys are fine"
            with open(os.path.join(path, "adapter_config.json"), "w", encoding="utf-8") as f:
                json.dump(config, f)
            with self.assertRaises(AdapterFormatError) as ctx:
                read_adapter_file(path)
            self.assertIn("alpha_pattern", str(ctx.exception))
            with self.assertRaises(FileExistsError):
                write_adapter_file(sample_adapter(), path)
            write_adapter_file(sample_adapter(), path, overwrite=True)
            self.assertEqual(read_adapter_file(path).version, 2)

    def test_json_numbers_are_written_as_javascript_does(self):
        cases = {300.0: "300", 1e-7: "1e-7", 1.5e22: "1.5e+22", 0.1: "0.1", 1e21: "1e+21", 123456789012345678901.0: "123456789012345680000",
                 1e-6: "0.000001", -2.5: "-2.5", 5e-324: "5e-324", 100: "100", 0.5: "0.5", 1e20: "100000000000000000000", -0.0: "0"}
        for value, text in cases.items():
            self.assertEqual(js_number(value), text, repr(value))
        self.assertEqual(dumps({"a": [1, 2.5, None, True], "b": "é\n\"x\""}), '{"a":[1,2.5,null,true],"b":"é\\n\\"x\\""}')


if __name__ == "__main__":
    unittest.main()
