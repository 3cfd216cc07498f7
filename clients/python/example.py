"""The Python client's README example, runnable:
    FITROOM_URL=http://127.0.0.1:3000 FITROOM_KEY=fr_... python3 clients/python/example.py model.jpg garment.jpg
Prints the ended job as JSON."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fitroom_client import FitroomClient, FitroomError  # noqa: E402

client = FitroomClient(os.environ.get("FITROOM_URL", "http://127.0.0.1:3000"), os.environ["FITROOM_KEY"])
with open(sys.argv[1], "rb") as model_file, open(sys.argv[2], "rb") as garment_file:
    model, garment = model_file.read(), garment_file.read()
job = client.subscribe(lambda: client.submit_tryon(model, garment, "upper_body"))
if job["status"] != "succeeded":
    sys.exit(f"job {job['jobId']} {job['status']}: {job['error']}")
try:
    client.submit_prompt(model, "a red dress", seed="yesterday")
except FitroomError as err:
    refused = {"status": err.status, "code": err.code}
print(json.dumps({"job": job, "credits": client.account()["credits"], "refused": refused}))
