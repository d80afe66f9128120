#!/usr/bin/env python3
"""The official data sources, in miniature, on 127.0.0.1 (tests/scripts/fetch_data_test.sh).

  official_server.py fixtures DIR     writes small files in the official layouts into DIR:
                                      train.csv, test.csv (AG News), SST-2.zip, STS-B.zip,
                                      hotpot_train_v1.1.json, hotpot_dev_distractor_v1.json
  official_server.py serve DIR FILE   serves DIR on a free port, written to FILE once listening

The first path component picks how a file is served, so one server covers every case:
  /ok/NAME         the file as it is
  /truncated/NAME  announces the full Content-Length, sends half, closes (a dropped connection)
  /short/NAME      the first half with a matching Content-Length (a truncated file served whole)
  /corrupt/NAME    *.csv with one byte changed (same length, same lines); other files as they are
  /error/NAME      HTTP 500
"""
import http.server
import io
import json
import os
import sys
import zipfile


def write_fixtures(out):
    os.makedirs(out, exist_ok=True)
    ag_train = "".join(f'"{1 + i % 4}","Title {i}","Description of article {i}."\n' for i in range(12))
    ag_test = "".join(f'"{1 + i % 4}","Test title {i}","Test description {i}."\n' for i in range(4))
    open(os.path.join(out, "train.csv"), "w").write(ag_train)
    open(os.path.join(out, "test.csv"), "w").write(ag_test)

    def glue_zip(name, files):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for member, text in files.items():
                z.writestr(f"{name}/{member}", text)
        open(os.path.join(out, f"{name}.zip"), "wb").write(buf.getvalue())

    glue_zip("SST-2", {
        "train.tsv": "sentence\tlabel\n" + "".join(f"a fine film number {i} \t{i % 2}\n" for i in range(6)),
        "dev.tsv": "sentence\tlabel\n" + "".join(f"a dull film {i} \t{i % 2}\n" for i in range(3)),
        "test.tsv": "index\tsentence\n0\tunlabelled\n",
    })
    header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n"
    row = "{i}\tmain-captions\tMSRvid\t2012test\t{i:04d}\tnone\tnone\tA man plays {i}.\tA man is playing {i}.\t{s:.3f}\n"
    glue_zip("STS-B", {
        "train.tsv": header + "".join(row.format(i=i, s=i % 5) for i in range(5)),
        "dev.tsv": header + "".join(row.format(i=i, s=(i + 1) % 5) for i in range(2)),
    })

    def hotpot(n, prefix):
        return [{"_id": f"{prefix}{i}", "question": f"Which came first, A{i} or B{i}?", "answer": f"A{i}",
                 "type": "comparison" if i % 2 else "bridge", "level": "easy",
                 "supporting_facts": [[f"A{i}", 0]], "context": [[f"A{i}", [f"A{i} came first."]]]}
                for i in range(n)]

    json.dump(hotpot(3, "t"), open(os.path.join(out, "hotpot_train_v1.1.json"), "w"))
    json.dump(hotpot(2, "d"), open(os.path.join(out, "hotpot_dev_distractor_v1.json"), "w"))


class Handler(http.server.BaseHTTPRequestHandler):
    root = "."

    def log_message(self, fmt, *args):  # quiet: the test prints what matters
        pass

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        mode, name = (parts[0], parts[-1]) if len(parts) >= 2 else ("", "")
        path = os.path.join(self.root, name)
        if mode == "error" or not os.path.isfile(path):
            self.send_error(500 if mode == "error" else 404)
            return
        body = open(path, "rb").read()
        if mode == "short":
            body = body[: len(body) // 2]
        if mode == "corrupt" and name.endswith(".csv"):
            i = body.index(b"Title") if b"Title" in body else len(body) // 2
            body = body[:i] + b"t" + body[i + 1:]
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncated":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


def serve(root, port_file):
    Handler.root = root
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = port_file + ".part"
    open(tmp, "w").write(str(server.server_address[1]))
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fixtures":
        write_fixtures(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
