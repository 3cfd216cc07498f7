"""Fitroom Python client: the standard library only (urllib), typed with the TypedDicts generated
from the OpenAPI document (_generated.py). `subscribe()` submits a job and waits for it to end.

Image fields take bytes (an upload) or a str (an http(s) URL, a data URI, bare base64 or a
preset's URL), as the API does.
"""
import json
import time
import uuid
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Optional, Union

from ._generated import (
    OPERATIONS,
    CancelJobData,
    GetAccountData,
    GetJobData,
    ListUsageData,
    SubmitPromptJobData,
    SubmitTryOnJobData,
)

__all__ = ["FitroomClient", "FitroomError", "FINAL_STATUSES", "OPERATIONS"]

ImageInput = Union[bytes, str]

#: Statuses after which a job changes no more.
FINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled"})


class FitroomError(Exception):
    """An error answer of the API: its HTTP status and the contract's code and msg."""

    def __init__(self, status: int, code: int, msg: str) -> None:
        super().__init__(msg)
        self.status = status
        self.code = code
        self.msg = msg


def _multipart(fields: Dict[str, Any]) -> "tuple[bytes, str]":
    boundary = "fitroom" + uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, (bytes, bytearray)):
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            chunks += [head.encode(), bytes(value), b"\r\n"]
        else:
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            chunks += [head.encode(), str(value).encode("utf-8"), b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class FitroomClient:
    def __init__(self, base_url: str, api_key: str, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def call(self, operation_id: str, path_params: Optional[Dict[str, str]] = None, query: Optional[Dict[str, Any]] = None, fields: Optional[Dict[str, Any]] = None) -> Any:
        """Calls any operation of the OpenAPI document by its operationId; returns `data`."""
        op = OPERATIONS[operation_id]
        path = op["path"]
        for name in op["path_params"]:
            path = path.replace("{" + name + "}", urllib.parse.quote((path_params or {})[name], safe=""))
        unknown = set(fields or {}) - set(op["fields"])
        if unknown:
            raise ValueError(f"{operation_id} has no field(s) {sorted(unknown)}")
        missing = [f for f in op["required"] if (fields or {}).get(f) is None]
        if missing:
            raise ValueError(f"{operation_id} needs {missing}")
        url = self.base_url + path
        wanted = {k: v for k, v in (query or {}).items() if v is not None and k in op["query"]}
        if wanted:
            url += "?" + urllib.parse.urlencode(wanted)
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        body = None
        if op["fields"]:
            body, headers["Content-Type"] = _multipart(fields or {})
        request = urllib.request.Request(url, data=body, method=op["method"], headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())["data"]
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                envelope = json.loads(raw)
            except ValueError:
                envelope = {"code": err.code, "msg": raw.decode("utf-8", "replace")[:200]}
            raise FitroomError(err.code, int(envelope.get("code", err.code)), str(envelope.get("msg", ""))) from None

    def submit_tryon(self, model_img: ImageInput, garment_img: ImageInput, category: str, **extra: Any) -> SubmitTryOnJobData:
        """POST /v1/tryon: extra fields garmentDesc, webhook_url, num_samples."""
        return self.call("submitTryOnJob", fields={"modelImg": model_img, "garmentImg": garment_img, "category": category, **extra})

    def submit_prompt(self, model_img: ImageInput, prompt: str, **extra: Any) -> SubmitPromptJobData:
        """POST /v1/prompt: extra fields seed, randomize_seed, guidance_scale, num_inference_steps, webhook_url, num_samples."""
        return self.call("submitPromptJob", fields={"modelImg": model_img, "prompt": prompt, **{k: str(v) for k, v in extra.items()}})

    def get_job(self, job_id: str) -> GetJobData:
        return self.call("getJob", path_params={"id": job_id})

    def cancel_job(self, job_id: str) -> CancelJobData:
        return self.call("cancelJob", path_params={"id": job_id})

    def account(self) -> GetAccountData:
        return self.call("getAccount")

    def usage(self, limit: Optional[int] = None, cursor: Optional[str] = None) -> ListUsageData:
        return self.call("listUsage", query={"limit": limit, "cursor": cursor})

    def subscribe(self, submitted: Union[Dict[str, Any], Callable[[], Dict[str, Any]]], interval: float = 0.5, timeout: float = 300.0) -> GetJobData:
        """Takes a submitted job (or a function that submits one) and polls it every `interval`
        seconds until it has ended; returns the ended job (check its status). Raises TimeoutError
        after `timeout` seconds."""
        job: Dict[str, Any] = submitted() if callable(submitted) else submitted
        deadline = time.monotonic() + timeout
        while job["status"] not in FINAL_STATUSES:
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job['jobId']} still {job['status']} after {timeout} s")
            time.sleep(interval)
            job = self.get_job(job["jobId"])
        return job  # type: ignore[return-value]
