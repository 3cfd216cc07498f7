"""Generated from clients/openapi.json by `npm run clients:generate`; do not edit."""
from typing import Any, Dict, List, Optional, TypedDict

# operationId -> how to call it: method, path, path and query parameters, multipart fields.
OPERATIONS: Dict[str, Dict[str, Any]] = {
    "changeClothes": {"method": "POST", "path": "/api/openapi/change-clothes-ai", "path_params": [], "query": [], "fields": ["modelImg","garmentImg","category","garmentDesc"], "required": ["modelImg","garmentImg","category"]},
    "changeClothesByPrompt": {"method": "POST", "path": "/api/openapi/change-clothes-by-prompt", "path_params": [], "query": [], "fields": ["modelImg","prompt","seed","randomize_seed","guidance_scale","num_inference_steps"], "required": ["modelImg","prompt"]},
    "submitTryOnJob": {"method": "POST", "path": "/v1/tryon", "path_params": [], "query": [], "fields": ["modelImg","garmentImg","category","garmentDesc","webhook_url","num_samples"], "required": ["modelImg","garmentImg","category"]},
    "submitPromptJob": {"method": "POST", "path": "/v1/prompt", "path_params": [], "query": [], "fields": ["modelImg","prompt","seed","randomize_seed","guidance_scale","num_inference_steps","webhook_url","num_samples"], "required": ["modelImg","prompt"]},
    "getJob": {"method": "GET", "path": "/v1/jobs/{id}", "path_params": ["id"], "query": [], "fields": [], "required": []},
    "cancelJob": {"method": "DELETE", "path": "/v1/jobs/{id}", "path_params": ["id"], "query": [], "fields": [], "required": []},
    "getAccount": {"method": "GET", "path": "/v1/account", "path_params": [], "query": [], "fields": [], "required": []},
    "listUsage": {"method": "GET", "path": "/v1/usage", "path_params": [], "query": ["limit","cursor"], "fields": [], "required": []},
    "listPresets": {"method": "GET", "path": "/api/openapi/presets", "path_params": [], "query": [], "fields": [], "required": []},
    "getFile": {"method": "GET", "path": "/files/{key}", "path_params": ["key"], "query": [], "fields": [], "required": []},
    "getHealth": {"method": "GET", "path": "/healthz", "path_params": [], "query": [], "fields": [], "required": []},
    "getReadiness": {"method": "GET", "path": "/readyz", "path_params": [], "query": [], "fields": [], "required": []},
    "getMetrics": {"method": "GET", "path": "/metrics", "path_params": [], "query": [], "fields": [], "required": []},
}


class ChangeClothesData(TypedDict, total=False):
    """Success data of changeClothes (POST /api/openapi/change-clothes-ai)."""
    resultImgUrl: str
    maskImgUrl: str
    cacheHit: bool


class ChangeClothesByPromptData(TypedDict, total=False):
    """Success data of changeClothesByPrompt (POST /api/openapi/change-clothes-by-prompt)."""
    resultImgUrl: str
    maskImgUrl: str
    seed: int
    cacheHit: bool


class SubmitTryOnJobData(TypedDict, total=False):
    """Success data of submitTryOnJob (POST /v1/tryon)."""
    jobId: str
    kind: str
    status: str
    result: Optional[Dict[str, Any]]
    error: Optional[Dict[str, Any]]
    refunded: bool
    createdAt: str
    finishedAt: Optional[str]
    numSamples: int
    expiresAt: Optional[str]
    imagesDeletedAt: Optional[str]
    webhook: Optional[Dict[str, Any]]
    progress: Optional[Dict[str, Any]]


class SubmitPromptJobData(TypedDict, total=False):
    """Success data of submitPromptJob (POST /v1/prompt)."""
    jobId: str
    kind: str
    status: str
    result: Optional[Dict[str, Any]]
    error: Optional[Dict[str, Any]]
    refunded: bool
    createdAt: str
    finishedAt: Optional[str]
    numSamples: int
    expiresAt: Optional[str]
    imagesDeletedAt: Optional[str]
    webhook: Optional[Dict[str, Any]]
    progress: Optional[Dict[str, Any]]


class GetJobData(TypedDict, total=False):
    """Success data of getJob (GET /v1/jobs/{id})."""
    jobId: str
    kind: str
    status: str
    result: Optional[Dict[str, Any]]
    error: Optional[Dict[str, Any]]
    refunded: bool
    createdAt: str
    finishedAt: Optional[str]
    numSamples: int
    expiresAt: Optional[str]
    imagesDeletedAt: Optional[str]
    webhook: Optional[Dict[str, Any]]
    progress: Optional[Dict[str, Any]]


class CancelJobData(TypedDict, total=False):
    """Success data of cancelJob (DELETE /v1/jobs/{id})."""
    jobId: str
    kind: str
    status: str
    result: Optional[Dict[str, Any]]
    error: Optional[Dict[str, Any]]
    refunded: bool
    createdAt: str
    finishedAt: Optional[str]
    numSamples: int
    expiresAt: Optional[str]
    imagesDeletedAt: Optional[str]
    webhook: Optional[Dict[str, Any]]
    progress: Optional[Dict[str, Any]]


class GetAccountData(TypedDict, total=False):
    """Success data of getAccount (GET /v1/account)."""
    userId: str
    email: str
    credits: int
    reservedCredits: int
    availableCredits: int
    trialCallsLeft: int
    costs: Dict[str, Any]
    rateLimit: Dict[str, Any]
    maxCallsInProgress: int
    webhookSigning: str
    webhookSecret: Optional[str]


class ListUsageData(TypedDict, total=False):
    """Success data of listUsage (GET /v1/usage)."""
    items: List[Dict[str, Any]]
    nextCursor: Optional[str]


class ListPresetsData(TypedDict, total=False):
    """Success data of listPresets (GET /api/openapi/presets)."""
    models: List[Dict[str, Any]]
    garments: List[Dict[str, Any]]


class GetHealthData(TypedDict, total=False):
    """Success data of getHealth (GET /healthz)."""
    status: str


class GetReadinessData(TypedDict, total=False):
    """Success data of getReadiness (GET /readyz)."""
    status: str
    database: str
    engine: str
