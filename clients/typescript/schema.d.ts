/** Generated from clients/openapi.json by `npm run clients:generate`; do not edit. */

export interface paths {
    "/api/openapi/change-clothes-ai": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** API 1: dress the person in modelImg in the garment in garmentImg */
        post: operations["changeClothes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi/change-clothes-by-prompt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** API 2: change the person's clothes as a text prompt describes */
        post: operations["changeClothesByPrompt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tryon": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** API 1 as an async job: the same fields, answered 202 with a job id */
        post: operations["submitTryOnJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/prompt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** API 2 as an async job: the same fields, answered 202 with a job id */
        post: operations["submitPromptJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's status, and its result or error once finished */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /**
         * Cancel a job that has not finished (it costs nothing: a charge for work that still completes is refunded), or delete a finished job's images
         * @description A finished job (succeeded, failed or cancelled) keeps its status, error and credits; its result and mask images are deleted at once (not those another unexpired job points at, as with retention), `result` becomes null and `imagesDeletedAt` is set. The job itself is deleted when it expires. A second DELETE changes nothing.
         */
        delete: operations["cancelJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling key's account: balance, trial calls left, rate-limit state, webhook signing */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's calls, newest first, paged with cursor */
        get: operations["listUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi/presets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Preset model and garment images (send a URL as modelImg / garmentImg) */
        get: operations["listPresets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Results, masks and preset images (no auth; URLs are unguessable) */
        get: operations["getFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: database reachable and engine models loaded */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (Bearer FITROOM_METRICS_TOKEN when set) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Error: `code` from the contract's table, `msg` = `NAME: detail`. No `data`. */
        ApiError: {
            /**
             * @example 10004
             * @enum {integer}
             */
            code: 500 | 10001 | 10002 | 10003 | 10004 | 10005 | 10006 | 10007 | 20001 | 30001 | 30002;
            /** @example INVALID_PARAM: category: expected upper_body, lower_body or dresses, got "shirt" */
            msg: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    changeClothes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** @description The person photo: an image file (JPEG, PNG, WebP or AVIF; at most 20 MB, 40 megapixels, shortest side at least 128 px, longest side at most 16383 px), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL */
                    modelImg: string;
                    /** @description The garment photo, usually a product shot: an image file (JPEG, PNG, WebP or AVIF; at most 20 MB, 40 megapixels, shortest side at least 128 px, longest side at most 16383 px), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL */
                    garmentImg: string;
                    /** @enum {string} */
                    category: "upper_body" | "lower_body" | "dresses";
                    /** @description English description of the garment */
                    garmentDesc?: string;
                };
            };
        };
        responses: {
            /** @description The try-on result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /**
                             * Format: uri
                             * @description The try-on result (WebP, the model image's size)
                             */
                            resultImgUrl: string;
                            /**
                             * Format: uri
                             * @description The model photo with the repainted region filled in neutral grey (WebP)
                             */
                            maskImgUrl: string;
                            /** @description true when served from the result cache */
                            cacheHit: boolean;
                        };
                    };
                };
            };
            /** @description 10004 INVALID_PARAM, 10005 HARMFUL_CONTENT: a missing, malformed or out-of-range field or image; the detail names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10003 INSUFFICIENT_CREDITS, 10006 INSUFFICIENT_TRAIL_COUNT: not enough credits or trial calls */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body did not arrive in time (FITROOM_BODY_IDLE_TIMEOUT_MS between bytes, FITROOM_BODY_TIMEOUT_MS in all) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body exceeds 45 MB, or one part is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 20001 TRY_ON_EXCEPTION: the engine cannot process these inputs; the detail says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    changeClothesByPrompt: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** @description The person photo: an image file (JPEG, PNG, WebP or AVIF; at most 20 MB, 40 megapixels, shortest side at least 128 px, longest side at most 16383 px), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL */
                    modelImg: string;
                    /** @example Help the model change into a blue striped shirt. */
                    prompt: string;
                    /** @description Integer 0..2147483647 as digits */
                    seed?: string;
                    /**
                     * @description Default: true when seed is absent, false when it is given
                     * @enum {string}
                     */
                    randomize_seed?: "true" | "false";
                    /** @description Number 1..100, default 50 */
                    guidance_scale?: string;
                    /** @description Integer 1..50, default 28 */
                    num_inference_steps?: string;
                };
            };
        };
        responses: {
            /** @description The edited photo */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /** Format: uri */
                            resultImgUrl: string;
                            /**
                             * Format: uri
                             * @description Fitroom extension: the repainted region in grey
                             */
                            maskImgUrl?: string;
                            /** @description The seed actually used */
                            seed: number;
                            cacheHit?: boolean;
                        };
                    };
                };
            };
            /** @description 10004 INVALID_PARAM, 10005 HARMFUL_CONTENT: a missing, malformed or out-of-range field or image; the detail names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10003 INSUFFICIENT_CREDITS, 10006 INSUFFICIENT_TRAIL_COUNT: not enough credits or trial calls */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body did not arrive in time (FITROOM_BODY_IDLE_TIMEOUT_MS between bytes, FITROOM_BODY_TIMEOUT_MS in all) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body exceeds 45 MB, or one part is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 20001 TRY_ON_EXCEPTION: the engine cannot process these inputs; the detail says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    submitTryOnJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** @description The person photo: an image file (JPEG, PNG, WebP or AVIF; at most 20 MB, 40 megapixels, shortest side at least 128 px, longest side at most 16383 px), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL */
                    modelImg: string;
                    /** @description The garment photo, usually a product shot: an image file (JPEG, PNG, WebP or AVIF; at most 20 MB, 40 megapixels, shortest side at least 128 px, longest side at most 16383 px), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL */
                    garmentImg: string;
                    /**
                     * @description `auto`: decided from the garment photo's outline; the decision is in the result (`category`, `categoryDecision`)
                     * @enum {string}
                     */
                    category: "upper_body" | "lower_body" | "dresses" | "auto";
                    /** @description English description of the garment */
                    garmentDesc?: string;
                    /**
                     * Format: uri
                     * @description POSTed (signed, retried with backoff) when the job ends; the same address rules as image URLs
                     */
                    webhook_url?: string;
                    /** @description Results to make, 1..4, each charged (default 1). Prompt jobs: consecutive seeds. Try-on jobs: the try-on of the photos as they are, mirrored, framed, mirrored and framed (small placement variations); a sample repeating an earlier picture is left out and refunded, so samples may hold fewer */
                    num_samples?: string;
                };
            };
        };
        responses: {
            /** @description Try-on job accepted: poll GET /v1/jobs/{jobId} */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /** @description job_... */
                            jobId: string;
                            /** @enum {string} */
                            kind: "tryon" | "prompt";
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** @description Once succeeded: the synchronous API's data (resultImgUrl, maskImgUrl, cacheHit; seed for prompt jobs) for the first sample, and `samples` with every sample */
                            result: ({
                                /** Format: uri */
                                resultImgUrl?: string;
                                /** Format: uri */
                                maskImgUrl?: string;
                                cacheHit?: boolean;
                                /** @description Prompt jobs: the seed of this sample */
                                seed?: number;
                                samples?: {
                                    /** Format: uri */
                                    resultImgUrl: string;
                                    /** Format: uri */
                                    maskImgUrl: string;
                                    cacheHit: boolean;
                                    /** @description Prompt jobs: the seed of this sample */
                                    seed?: number;
                                }[];
                                /**
                                 * @description Try-on jobs: the category used
                                 * @enum {string}
                                 */
                                category?: "upper_body" | "lower_body" | "dresses";
                                /** @description Try-on jobs sent with category auto: the decision and the outline measures behind it */
                                categoryDecision?: {
                                    /** @enum {string} */
                                    requested?: "auto";
                                    category?: string;
                                    measures?: {
                                        [key: string]: number;
                                    };
                                };
                            } & {
                                [key: string]: unknown;
                            }) | null;
                            /** @description Once failed: the error envelope the synchronous API would have answered */
                            error: {
                                code?: number;
                                msg?: string;
                            } | null;
                            /** @description A cancelled job whose finished work was charged got the charge back */
                            refunded: boolean;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            finishedAt: string | null;
                            numSamples: number;
                            /**
                             * Format: date-time
                             * @description When the job and its images are deleted (FITROOM_JOB_RETENTION_SECONDS after it ended)
                             */
                            expiresAt: string | null;
                            /**
                             * Format: date-time
                             * @description When DELETE /v1/jobs/{jobId} deleted the finished job's images (`result` is null from then on); null while they exist
                             */
                            imagesDeletedAt: string | null;
                            /** @description null without webhook_url; else the target and its delivery log */
                            webhook: {
                                /** Format: uri */
                                url: string;
                                /** @enum {string} */
                                status: "pending" | "delivered" | "failed";
                                attempts: {
                                    /** Format: date-time */
                                    at: string;
                                    /** @description The receiver's HTTP status; null when it did not answer */
                                    statusCode: number | null;
                                    error: string | null;
                                    ms: number;
                                }[];
                                /** Format: date-time */
                                nextAttemptAt: string | null;
                            } | null;
                            /** @description While queued or running: where the work is. `stage`: queued (waiting to start, for its photos to download or for an engine slot), analysing (reading and checking the photos; deciding the category for auto), rendering (in the engine), saving (storing the result). `sample`: which of numSamples (1-based). null once the job has ended */
                            progress: {
                                /** @enum {string} */
                                stage: "queued" | "analysing" | "rendering" | "saving";
                                sample: number;
                            } | null;
                        };
                    };
                };
            };
            /** @description 10004 INVALID_PARAM, 10005 HARMFUL_CONTENT: a missing, malformed or out-of-range field or image; the detail names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body did not arrive in time (FITROOM_BODY_IDLE_TIMEOUT_MS between bytes, FITROOM_BODY_TIMEOUT_MS in all) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body exceeds 45 MB, or one part is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    submitPromptJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** @description The person photo: an image file (JPEG, PNG, WebP or AVIF; at most 20 MB, 40 megapixels, shortest side at least 128 px, longest side at most 16383 px), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL */
                    modelImg: string;
                    /** @example Help the model change into a blue striped shirt. */
                    prompt: string;
                    /** @description Integer 0..2147483647 as digits */
                    seed?: string;
                    /**
                     * @description Default: true when seed is absent, false when it is given
                     * @enum {string}
                     */
                    randomize_seed?: "true" | "false";
                    /** @description Number 1..100, default 50 */
                    guidance_scale?: string;
                    /** @description Integer 1..50, default 28 */
                    num_inference_steps?: string;
                    /**
                     * Format: uri
                     * @description POSTed (signed, retried with backoff) when the job ends; the same address rules as image URLs
                     */
                    webhook_url?: string;
                    /** @description Results to make, 1..4, each charged (default 1). Prompt jobs: consecutive seeds. Try-on jobs: the try-on of the photos as they are, mirrored, framed, mirrored and framed (small placement variations); a sample repeating an earlier picture is left out and refunded, so samples may hold fewer */
                    num_samples?: string;
                };
            };
        };
        responses: {
            /** @description Prompt job accepted: poll GET /v1/jobs/{jobId} */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /** @description job_... */
                            jobId: string;
                            /** @enum {string} */
                            kind: "tryon" | "prompt";
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** @description Once succeeded: the synchronous API's data (resultImgUrl, maskImgUrl, cacheHit; seed for prompt jobs) for the first sample, and `samples` with every sample */
                            result: ({
                                /** Format: uri */
                                resultImgUrl?: string;
                                /** Format: uri */
                                maskImgUrl?: string;
                                cacheHit?: boolean;
                                /** @description Prompt jobs: the seed of this sample */
                                seed?: number;
                                samples?: {
                                    /** Format: uri */
                                    resultImgUrl: string;
                                    /** Format: uri */
                                    maskImgUrl: string;
                                    cacheHit: boolean;
                                    /** @description Prompt jobs: the seed of this sample */
                                    seed?: number;
                                }[];
                                /**
                                 * @description Try-on jobs: the category used
                                 * @enum {string}
                                 */
                                category?: "upper_body" | "lower_body" | "dresses";
                                /** @description Try-on jobs sent with category auto: the decision and the outline measures behind it */
                                categoryDecision?: {
                                    /** @enum {string} */
                                    requested?: "auto";
                                    category?: string;
                                    measures?: {
                                        [key: string]: number;
                                    };
                                };
                            } & {
                                [key: string]: unknown;
                            }) | null;
                            /** @description Once failed: the error envelope the synchronous API would have answered */
                            error: {
                                code?: number;
                                msg?: string;
                            } | null;
                            /** @description A cancelled job whose finished work was charged got the charge back */
                            refunded: boolean;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            finishedAt: string | null;
                            numSamples: number;
                            /**
                             * Format: date-time
                             * @description When the job and its images are deleted (FITROOM_JOB_RETENTION_SECONDS after it ended)
                             */
                            expiresAt: string | null;
                            /**
                             * Format: date-time
                             * @description When DELETE /v1/jobs/{jobId} deleted the finished job's images (`result` is null from then on); null while they exist
                             */
                            imagesDeletedAt: string | null;
                            /** @description null without webhook_url; else the target and its delivery log */
                            webhook: {
                                /** Format: uri */
                                url: string;
                                /** @enum {string} */
                                status: "pending" | "delivered" | "failed";
                                attempts: {
                                    /** Format: date-time */
                                    at: string;
                                    /** @description The receiver's HTTP status; null when it did not answer */
                                    statusCode: number | null;
                                    error: string | null;
                                    ms: number;
                                }[];
                                /** Format: date-time */
                                nextAttemptAt: string | null;
                            } | null;
                            /** @description While queued or running: where the work is. `stage`: queued (waiting to start, for its photos to download or for an engine slot), analysing (reading and checking the photos; deciding the category for auto), rendering (in the engine), saving (storing the result). `sample`: which of numSamples (1-based). null once the job has ended */
                            progress: {
                                /** @enum {string} */
                                stage: "queued" | "analysing" | "rendering" | "saving";
                                sample: number;
                            } | null;
                        };
                    };
                };
            };
            /** @description 10004 INVALID_PARAM, 10005 HARMFUL_CONTENT: a missing, malformed or out-of-range field or image; the detail names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body did not arrive in time (FITROOM_BODY_IDLE_TIMEOUT_MS between bytes, FITROOM_BODY_TIMEOUT_MS in all) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: the body exceeds 45 MB, or one part is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description job_... */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /** @description job_... */
                            jobId: string;
                            /** @enum {string} */
                            kind: "tryon" | "prompt";
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** @description Once succeeded: the synchronous API's data (resultImgUrl, maskImgUrl, cacheHit; seed for prompt jobs) for the first sample, and `samples` with every sample */
                            result: ({
                                /** Format: uri */
                                resultImgUrl?: string;
                                /** Format: uri */
                                maskImgUrl?: string;
                                cacheHit?: boolean;
                                /** @description Prompt jobs: the seed of this sample */
                                seed?: number;
                                samples?: {
                                    /** Format: uri */
                                    resultImgUrl: string;
                                    /** Format: uri */
                                    maskImgUrl: string;
                                    cacheHit: boolean;
                                    /** @description Prompt jobs: the seed of this sample */
                                    seed?: number;
                                }[];
                                /**
                                 * @description Try-on jobs: the category used
                                 * @enum {string}
                                 */
                                category?: "upper_body" | "lower_body" | "dresses";
                                /** @description Try-on jobs sent with category auto: the decision and the outline measures behind it */
                                categoryDecision?: {
                                    /** @enum {string} */
                                    requested?: "auto";
                                    category?: string;
                                    measures?: {
                                        [key: string]: number;
                                    };
                                };
                            } & {
                                [key: string]: unknown;
                            }) | null;
                            /** @description Once failed: the error envelope the synchronous API would have answered */
                            error: {
                                code?: number;
                                msg?: string;
                            } | null;
                            /** @description A cancelled job whose finished work was charged got the charge back */
                            refunded: boolean;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            finishedAt: string | null;
                            numSamples: number;
                            /**
                             * Format: date-time
                             * @description When the job and its images are deleted (FITROOM_JOB_RETENTION_SECONDS after it ended)
                             */
                            expiresAt: string | null;
                            /**
                             * Format: date-time
                             * @description When DELETE /v1/jobs/{jobId} deleted the finished job's images (`result` is null from then on); null while they exist
                             */
                            imagesDeletedAt: string | null;
                            /** @description null without webhook_url; else the target and its delivery log */
                            webhook: {
                                /** Format: uri */
                                url: string;
                                /** @enum {string} */
                                status: "pending" | "delivered" | "failed";
                                attempts: {
                                    /** Format: date-time */
                                    at: string;
                                    /** @description The receiver's HTTP status; null when it did not answer */
                                    statusCode: number | null;
                                    error: string | null;
                                    ms: number;
                                }[];
                                /** Format: date-time */
                                nextAttemptAt: string | null;
                            } | null;
                            /** @description While queued or running: where the work is. `stage`: queued (waiting to start, for its photos to download or for an engine slot), analysing (reading and checking the photos; deciding the category for auto), rendering (in the engine), saving (storing the result). `sample`: which of numSamples (1-based). null once the job has ended */
                            progress: {
                                /** @enum {string} */
                                stage: "queued" | "analysing" | "rendering" | "saving";
                                sample: number;
                            } | null;
                        };
                    };
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: no such file or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description job_... */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled job, or the finished job with its images deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /** @description job_... */
                            jobId: string;
                            /** @enum {string} */
                            kind: "tryon" | "prompt";
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** @description Once succeeded: the synchronous API's data (resultImgUrl, maskImgUrl, cacheHit; seed for prompt jobs) for the first sample, and `samples` with every sample */
                            result: ({
                                /** Format: uri */
                                resultImgUrl?: string;
                                /** Format: uri */
                                maskImgUrl?: string;
                                cacheHit?: boolean;
                                /** @description Prompt jobs: the seed of this sample */
                                seed?: number;
                                samples?: {
                                    /** Format: uri */
                                    resultImgUrl: string;
                                    /** Format: uri */
                                    maskImgUrl: string;
                                    cacheHit: boolean;
                                    /** @description Prompt jobs: the seed of this sample */
                                    seed?: number;
                                }[];
                                /**
                                 * @description Try-on jobs: the category used
                                 * @enum {string}
                                 */
                                category?: "upper_body" | "lower_body" | "dresses";
                                /** @description Try-on jobs sent with category auto: the decision and the outline measures behind it */
                                categoryDecision?: {
                                    /** @enum {string} */
                                    requested?: "auto";
                                    category?: string;
                                    measures?: {
                                        [key: string]: number;
                                    };
                                };
                            } & {
                                [key: string]: unknown;
                            }) | null;
                            /** @description Once failed: the error envelope the synchronous API would have answered */
                            error: {
                                code?: number;
                                msg?: string;
                            } | null;
                            /** @description A cancelled job whose finished work was charged got the charge back */
                            refunded: boolean;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            finishedAt: string | null;
                            numSamples: number;
                            /**
                             * Format: date-time
                             * @description When the job and its images are deleted (FITROOM_JOB_RETENTION_SECONDS after it ended)
                             */
                            expiresAt: string | null;
                            /**
                             * Format: date-time
                             * @description When DELETE /v1/jobs/{jobId} deleted the finished job's images (`result` is null from then on); null while they exist
                             */
                            imagesDeletedAt: string | null;
                            /** @description null without webhook_url; else the target and its delivery log */
                            webhook: {
                                /** Format: uri */
                                url: string;
                                /** @enum {string} */
                                status: "pending" | "delivered" | "failed";
                                attempts: {
                                    /** Format: date-time */
                                    at: string;
                                    /** @description The receiver's HTTP status; null when it did not answer */
                                    statusCode: number | null;
                                    error: string | null;
                                    ms: number;
                                }[];
                                /** Format: date-time */
                                nextAttemptAt: string | null;
                            } | null;
                            /** @description While queued or running: where the work is. `stage`: queued (waiting to start, for its photos to download or for an engine slot), analysing (reading and checking the photos; deciding the category for auto), rendering (in the engine), saving (storing the result). `sample`: which of numSamples (1-based). null once the job has ended */
                            progress: {
                                /** @enum {string} */
                                stage: "queued" | "analysing" | "rendering" | "saving";
                                sample: number;
                            } | null;
                        };
                    };
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10004 INVALID_PARAM: no such file or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            userId: string;
                            email: string;
                            /** @description Settled credit balance */
                            credits: number;
                            /** @description Credits held by calls in progress */
                            reservedCredits: number;
                            /** @description credits - reservedCredits: what the next calls can spend */
                            availableCredits: number;
                            /** @description Free calls left (spent only while the account has never held credits) */
                            trialCallsLeft: number;
                            /** @description Credits per call */
                            costs: {
                                tryon: number;
                                prompt: number;
                            };
                            /** @description This key's token bucket: its user's own limits (fitroom users limits), else FITROOM_RATE_LIMIT_* */
                            rateLimit: {
                                enabled: boolean;
                                perMinute: number;
                                burst: number;
                                /** @description Calls this key can make right now (after this one) */
                                remaining: number;
                                /** @description Seconds until the bucket is full again */
                                fullInSeconds: number;
                            };
                            /** @description Calls this key may have in progress at once: its user's own cap, else FITROOM_MAX_JOBS_PER_KEY */
                            maxCallsInProgress: number;
                            /**
                             * @description Which secret signs webhooks of jobs this key submits
                             * @enum {string}
                             */
                            webhookSigning: "key" | "account";
                            /** @description The account's webhook secret when webhookSigning is account (signing keys use their own signing secret; null then) */
                            webhookSecret: string | null;
                        };
                    };
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listUsage: {
        parameters: {
            query?: {
                /** @description Rows per page, 1..200 (default 50) */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of usage rows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            items: {
                                /** @description req_... for synchronous calls, job_... (job_....N for later samples) for jobs */
                                requestId: string;
                                route: string;
                                statusCode: number;
                                code: number;
                                cacheHit: boolean;
                                engineMs: number | null;
                                totalMs: number | null;
                                /** @description Credits the call cost in the end (charges minus refunds) */
                                credits: number;
                                /** @description ISO 8601 */
                                createdAt: string;
                                /** @description The result image the call made or was served (as its answer gave it); null when it made none or the image was deleted (retention, DELETE /v1/jobs/{jobId}) */
                                resultImgUrl: string | null;
                                /** @description The mask image of that result; null with resultImgUrl */
                                maskImgUrl: string | null;
                            }[];
                            /** @description Pass as cursor for the next, older page; null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
            /** @description 10004 INVALID_PARAM, 10005 HARMFUL_CONTENT: a missing, malformed or out-of-range field or image; the detail names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listPresets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The registered presets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            models: {
                                id: string;
                                /** Format: uri */
                                url: string;
                            }[];
                            garments: {
                                id: string;
                                /** Format: uri */
                                url: string;
                            }[];
                        };
                    };
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 10007 TOO_MANY_REQUESTS: per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description results/..., masks/... or presets/... */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stored image */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/webp": string;
                };
            };
            /** @description S3 storage with presigned URLs (S3_PRESIGN_SECONDS): the object is at the Location URL for a limited time */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description 10004 INVALID_PARAM: no such file or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description 500 SERVER_ERROR: unexpected failure (no internals are shown) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {integer} */
                        code: 200;
                        /** @enum {string} */
                        msg: "OK";
                        data: {
                            /** @enum {string} */
                            status: "ready";
                            database: string;
                            engine: string;
                        };
                    };
                };
            };
            /** @description 500 SERVER_ERROR: overloaded or not ready; retry after Retry-After seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description 10001 NOT_LOGIN, 10002 USER_NOT_EXIST, 30001 INVALID_API_KEY, 30002 INVALID_SIGNATURE: no, unknown, revoked or disabled key, or a bad signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
}
