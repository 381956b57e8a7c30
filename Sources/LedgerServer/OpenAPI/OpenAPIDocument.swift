/// The API's OpenAPI 3.1 description, served at `GET /openapi.json`.
///
/// Written by hand to say exactly what the routes do (every status each can answer, the
/// error body, the constraints the validator enforces), and kept true by
/// `scripts/openapi-conformance`, which runs schemathesis against a live server with it.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "AuditLedger",
  "version": "1.0.0",
  "description": "A tamper-evident audit log. Every error is `{\"error\": {\"code\", \"message\", \"details\"?}}`. Every `/v1` route but `GET /v1/key` needs `Authorization: Bearer <token>`; scopes: ingest, read, admin."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "security": [
  {
   "bearer": []
  }
 ],
 "paths": {
  "/healthz": {
   "get": {
    "operationId": "health",
    "summary": "Liveness: answers when the ledger can be read.",
    "security": [],
    "responses": {
     "200": {
      "description": "Up",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "status",
          "tree_size"
         ],
         "properties": {
          "status": {
           "const": "ok"
          },
          "tree_size": {
           "$ref": "#/components/schemas/NonNegativeInt64"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "operationId": "metrics",
    "summary": "Prometheus metrics.",
    "security": [],
    "responses": {
     "200": {
      "description": "Prometheus text exposition",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "openapi",
    "summary": "This document.",
    "security": [],
    "responses": {
     "200": {
      "description": "OpenAPI 3.1",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     }
    }
   }
  },
  "/v1/events": {
   "post": {
    "operationId": "ingestEvents",
    "summary": "Append one event, a JSON array of events (at most 1000, 5 MiB), or NDJSON. Atomic per request; ingest scope.",
    "parameters": [
     {
      "name": "Idempotency-Key",
      "in": "header",
      "required": false,
      "description": "The id of a single event (not for batches).",
      "schema": {
       "type": "string",
       "pattern": "^[!-~]{1,128}$"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "oneOf": [
         {
          "$ref": "#/components/schemas/NewEvent"
         },
         {
          "type": "array",
          "minItems": 1,
          "maxItems": 1000,
          "items": {
           "$ref": "#/components/schemas/NewEvent"
          }
         }
        ]
       }
      },
      "application/x-ndjson": {
       "schema": {
        "type": "string",
        "description": "One event object per line."
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Stored and durable: a receipt per event (an object for one event, {receipts} for a batch).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Receipts"
        }
       }
      },
      "links": {
       "GetEvent": {
        "operationId": "getEvent",
        "parameters": {
         "ref": "$response.body#/seq"
        }
       }
      }
     },
     "200": {
      "description": "Every event was a replay of one already stored: the original receipts.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Receipts"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "409": {
      "$ref": "#/components/responses/Conflict"
     },
     "413": {
      "$ref": "#/components/responses/TooLarge"
     },
     "415": {
      "$ref": "#/components/responses/UnsupportedMediaType"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "get": {
    "operationId": "searchEvents",
    "summary": "Search an account's events, newest first; read scope. Recorded as an auditledger.search event.",
    "parameters": [
     {
      "$ref": "#/components/parameters/Account"
     },
     {
      "name": "name",
      "in": "query",
      "required": false,
      "description": "Activity names: exact, family.*, or comma lists; repeatable.",
      "schema": {
       "type": "array",
       "items": {
        "type": "string",
        "pattern": "^[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?(,[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?)*$"
       }
      },
      "style": "form",
      "explode": true
     },
     {
      "name": "actor",
      "in": "query",
      "required": false,
      "description": "Actor id.",
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 256
      }
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "description": "occurred_at >= from (RFC 3339 time or date).",
      "schema": {
       "$ref": "#/components/schemas/TimeBound"
      }
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "description": "occurred_at < to.",
      "schema": {
       "$ref": "#/components/schemas/TimeBound"
      }
     },
     {
      "name": "outcome",
      "in": "query",
      "required": false,
      "description": "Outcome.",
      "schema": {
       "type": "string",
       "enum": [
        "success",
        "failure"
       ]
      }
     },
     {
      "name": "country",
      "in": "query",
      "required": false,
      "description": "ISO 3166-1 alpha-2 code.",
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z]{2}$"
      }
     },
     {
      "name": "city",
      "in": "query",
      "required": false,
      "description": "City name (case-insensitive).",
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 256
      }
     },
     {
      "name": "ip",
      "in": "query",
      "required": false,
      "description": "An IP address or CIDR block.",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "target",
      "in": "query",
      "required": false,
      "description": "type:id of a target.",
      "schema": {
       "type": "string",
       "pattern": "^[^:]+:.+$"
      }
     },
     {
      "name": "q",
      "in": "query",
      "required": false,
      "description": "Free text; every word must match.",
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "query",
      "in": "query",
      "required": false,
      "description": "The filters as one string: name:stack.* actor:u_42 country:GB created:2026-11-01..2026-11-21.",
      "schema": {
       "type": "string"
      }
     },
     {
      "$ref": "#/components/parameters/Limit"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "description": "next_cursor of the previous page.",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "A page of events",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EventPage"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/events/{ref}": {
   "get": {
    "operationId": "getEvent",
    "summary": "One event by seq or by client id; read scope.",
    "parameters": [
     {
      "name": "ref",
      "in": "path",
      "required": true,
      "description": "seq (digits) or client id.",
      "schema": {
       "type": "string"
      }
     },
     {
      "$ref": "#/components/parameters/Account"
     }
    ],
    "responses": {
     "200": {
      "description": "The event",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StoredEvent"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/export": {
   "get": {
    "operationId": "exportEvents",
    "summary": "Stream an account's events received in [from, to), in chain order, as NDJSON or CSV; read scope. Recorded as an auditledger.export event, whose receive time ends the range: AuditLedger-Export-Range echoes the range served, and GET /v1/export/manifest with it returns the manifest of these exact bytes.",
    "parameters": [
     {
      "$ref": "#/components/parameters/Account"
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "description": "received_at >= from.",
      "schema": {
       "$ref": "#/components/schemas/TimeBound"
      }
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "description": "received_at < to. Default, and at most: the time the ledger records this export, so the range is final when served.",
      "schema": {
       "$ref": "#/components/schemas/TimeBound"
      }
     },
     {
      "$ref": "#/components/parameters/ExportFormat"
     }
    ],
    "responses": {
     "200": {
      "description": "The events",
      "content": {
       "application/x-ndjson": {
        "schema": {
         "type": "string"
        }
       },
       "text/csv": {
        "schema": {
         "type": "string"
        }
       }
      },
      "headers": {
       "AuditLedger-Export-Range": {
        "description": "The range served, as query parameters: `[from=…&]to=…` (RFC 3339 UTC). Pass it to GET /v1/export/manifest.",
        "required": true,
        "schema": {
         "type": "string"
        }
       },
       "Link": {
        "description": "The manifest of this export: `</v1/export/manifest?…>; rel=\"describedby\"`.",
        "required": true,
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/export/manifest": {
   "get": {
    "operationId": "exportManifest",
    "summary": "The manifest of the export of the same parameters: rebuilds the range's bytes exactly as GET /v1/export streams them and returns their manifest, with a signed checkpoint and the last row's inclusion proof; read scope. Recorded as an auditledger.export event.",
    "parameters": [
     {
      "$ref": "#/components/parameters/Account"
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "description": "received_at >= from: the `from` of the export's AuditLedger-Export-Range header, if any.",
      "schema": {
       "$ref": "#/components/schemas/TimeBound"
      }
     },
     {
      "name": "to",
      "in": "query",
      "required": true,
      "description": "received_at < to: the `to` of the export's AuditLedger-Export-Range header.",
      "schema": {
       "$ref": "#/components/schemas/TimeBound"
      }
     },
     {
      "$ref": "#/components/parameters/ExportFormat"
     }
    ],
    "responses": {
     "200": {
      "description": "The manifest",
      "headers": {
       "AuditLedger-Export-Range": {
        "description": "The range the manifest covers.",
        "required": true,
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ExportManifest"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/stream": {
   "get": {
    "operationId": "streamEvents",
    "summary": "Events after a cursor in chain order (long poll); read scope.",
    "parameters": [
     {
      "$ref": "#/components/parameters/Account"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "description": "next_cursor of the previous response; absent for the beginning.",
      "schema": {
       "type": "string"
      }
     },
     {
      "$ref": "#/components/parameters/Limit"
     },
     {
      "name": "wait",
      "in": "query",
      "required": false,
      "description": "Seconds to wait for new events when there are none.",
      "schema": {
       "type": "integer",
       "minimum": 0,
       "maximum": 60,
       "default": 0
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Events and the cursor to continue from",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StreamPage"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/key": {
   "get": {
    "operationId": "verifierKey",
    "summary": "The ledger's verifier key (signed-note form name+hash+base64), to pin and check checkpoints and export manifests with; public.",
    "security": [],
    "responses": {
     "200": {
      "description": "The verifier key",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "verifier_key",
          "origin",
          "key_hash",
          "algorithm"
         ],
         "properties": {
          "verifier_key": {
           "type": "string"
          },
          "origin": {
           "type": "string"
          },
          "key_hash": {
           "type": "string",
           "pattern": "^[0-9a-f]{8}$"
          },
          "algorithm": {
           "const": "ed25519"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/checkpoint": {
   "get": {
    "operationId": "checkpoint",
    "summary": "The latest signed checkpoint (one is signed now when the ledger has none), or with tree_size the first one at or after that size; read scope. JSON, or the signed note itself as text/plain with format=note or `Accept: text/plain`.",
    "parameters": [
     {
      "name": "tree_size",
      "in": "query",
      "required": false,
      "description": "The first checkpoint whose tree size is at least this; 404 when none is yet.",
      "schema": {
       "$ref": "#/components/schemas/NonNegativeInt64"
      }
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "description": "json (default), or note for the signed note as text/plain.",
      "schema": {
       "type": "string",
       "enum": [
        "json",
        "note"
       ],
       "default": "json"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The checkpoint",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Checkpoint"
        }
       },
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "post": {
    "operationId": "signCheckpoint",
    "summary": "Sign the current tree now (after proving it consistent with the latest checkpoint); admin scope. 201 with the new checkpoint, 200 with the latest when it already covers every event.",
    "responses": {
     "201": {
      "description": "Signed now",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Checkpoint"
        }
       }
      }
     },
     "200": {
      "description": "The latest checkpoint already covers every event",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Checkpoint"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/proofs/inclusion": {
   "get": {
    "operationId": "inclusionProof",
    "summary": "RFC 9162 inclusion proof of an event of the account, by default against the latest signed checkpoint (signed now when the latest predates the event), whose note comes with it; read scope.",
    "parameters": [
     {
      "$ref": "#/components/parameters/Account"
     },
     {
      "name": "seq",
      "in": "query",
      "required": true,
      "description": "The event's seq.",
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 9223372036854775807
      }
     },
     {
      "name": "tree_size",
      "in": "query",
      "required": false,
      "description": "Tree size; default the latest signed checkpoint's. The note is included when a checkpoint of exactly this size exists.",
      "schema": {
       "$ref": "#/components/schemas/NonNegativeInt64"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Proof",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "seq",
          "leaf_index",
          "tree_size",
          "leaf_hash",
          "root_hash",
          "proof"
         ],
         "properties": {
          "seq": {
           "type": "integer",
           "minimum": 1,
           "maximum": 9223372036854775807
          },
          "leaf_index": {
           "$ref": "#/components/schemas/NonNegativeInt64"
          },
          "tree_size": {
           "$ref": "#/components/schemas/NonNegativeInt64"
          },
          "leaf_hash": {
           "type": "string",
           "pattern": "^[0-9a-f]{64}$"
          },
          "root_hash": {
           "type": "string",
           "pattern": "^[0-9a-f]{64}$"
          },
          "proof": {
           "type": "array",
           "items": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$"
           }
          },
          "signed_note": {
           "type": "string",
           "description": "The signed checkpoint of tree_size, when there is one."
          }
         }
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/proofs/consistency": {
   "get": {
    "operationId": "consistencyProof",
    "summary": "RFC 9162 consistency proof between two tree sizes; read scope.",
    "parameters": [
     {
      "name": "first",
      "in": "query",
      "required": true,
      "description": "The older size.",
      "schema": {
       "$ref": "#/components/schemas/NonNegativeInt64"
      }
     },
     {
      "name": "second",
      "in": "query",
      "required": false,
      "description": "The newer size; default the current one.",
      "schema": {
       "$ref": "#/components/schemas/NonNegativeInt64"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Proof",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "first",
          "second",
          "first_root_hash",
          "second_root_hash",
          "proof"
         ],
         "properties": {
          "first": {
           "$ref": "#/components/schemas/NonNegativeInt64"
          },
          "second": {
           "$ref": "#/components/schemas/NonNegativeInt64"
          },
          "first_root_hash": {
           "type": "string",
           "pattern": "^[0-9a-f]{64}$"
          },
          "second_root_hash": {
           "type": "string",
           "pattern": "^[0-9a-f]{64}$"
          },
          "proof": {
           "type": "array",
           "items": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$"
           }
          }
         }
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/tokens": {
   "post": {
    "operationId": "createToken",
    "summary": "Create a token; the secret is in this response only; admin scope.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "required": [
         "account",
         "scope"
        ],
        "properties": {
         "account": {
          "type": "string",
          "pattern": "^(\\*|[a-z0-9][a-z0-9_.-]{0,63})$"
         },
         "scope": {
          "type": "string",
          "enum": [
           "ingest",
           "read",
           "admin"
          ]
         },
         "name": {
          "type": [
           "string",
           "null"
          ],
          "minLength": 1,
          "maxLength": 128
         }
        }
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The token with its secret",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Token"
        }
       }
      },
      "links": {
       "RevokeToken": {
        "operationId": "revokeToken",
        "parameters": {
         "id": "$response.body#/id"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "413": {
      "$ref": "#/components/responses/TooLarge"
     },
     "415": {
      "$ref": "#/components/responses/UnsupportedMediaType"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   },
   "get": {
    "operationId": "listTokens",
    "summary": "Tokens the admin token manages; admin scope.",
    "responses": {
     "200": {
      "description": "Tokens",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "tokens"
         ],
         "properties": {
          "tokens": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Token"
           }
          }
         }
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  },
  "/v1/tokens/{id}": {
   "delete": {
    "operationId": "revokeToken",
    "summary": "Revoke a token; admin scope.",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The revoked token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Token"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "414": {
      "$ref": "#/components/responses/URITooLong"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "503": {
      "$ref": "#/components/responses/Unavailable"
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   }
  },
  "schemas": {
   "Error": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "object",
      "required": [
       "code",
       "message"
      ],
      "properties": {
       "code": {
        "type": "string"
       },
       "message": {
        "type": "string"
       },
       "details": {
        "type": "array",
        "items": {
         "type": "object"
        }
       }
      }
     }
    }
   },
   "NewEvent": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "name",
     "actor"
    ],
    "properties": {
     "id": {
      "type": [
       "string",
       "null"
      ],
      "pattern": "^[!-~]{1,128}$",
      "description": "Client event id; the idempotency key, unique per account."
     },
     "account": {
      "type": [
       "string",
       "null"
      ],
      "pattern": "^[a-z0-9][a-z0-9_.-]{0,63}$"
     },
     "name": {
      "type": "string",
      "maxLength": 128,
      "pattern": "^[a-z0-9_]+(\\.[a-z0-9_]+)*$"
     },
     "actor": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "id"
      ],
      "properties": {
       "id": {
        "type": "string",
        "minLength": 1,
        "maxLength": 256
       },
       "name": {
        "type": [
         "string",
         "null"
        ],
        "minLength": 1,
        "maxLength": 256
       },
       "email": {
        "type": [
         "string",
         "null"
        ],
        "format": "email",
        "maxLength": 320
       },
       "type": {
        "type": [
         "string",
         "null"
        ],
        "enum": [
         "user",
         "service",
         "system",
         null
        ]
       }
      }
     },
     "ip": {
      "type": [
       "string",
       "null"
      ],
      "anyOf": [
       {
        "format": "ipv4"
       },
       {
        "format": "ipv6"
       }
      ]
     },
     "occurred_at": {
      "type": [
       "string",
       "null"
      ],
      "format": "date-time",
      "description": "RFC 3339; at most 5 minutes in the future. Default: the receive time."
     },
     "targets": {
      "type": [
       "array",
       "null"
      ],
      "maxItems": 10,
      "items": {
       "type": "object",
       "additionalProperties": false,
       "required": [
        "type",
        "id"
       ],
       "properties": {
        "type": {
         "type": "string",
         "minLength": 1,
         "maxLength": 256
        },
        "id": {
         "type": "string",
         "minLength": 1,
         "maxLength": 256
        },
        "name": {
         "type": [
          "string",
          "null"
         ],
         "minLength": 1,
         "maxLength": 256
        }
       }
      }
     },
     "outcome": {
      "type": [
       "string",
       "null"
      ],
      "enum": [
       "success",
       "failure",
       null
      ]
     },
     "description": {
      "type": [
       "string",
       "null"
      ],
      "maxLength": 2048
     },
     "user_agent": {
      "type": [
       "string",
       "null"
      ],
      "maxLength": 1024
     },
     "metadata": {
      "type": [
       "object",
       "null"
      ],
      "description": "At most 16 KiB serialized, nesting depth at most 8."
     }
    }
   },
   "StoredEvent": {
    "type": "object",
    "required": [
     "seq",
     "account_seq",
     "account",
     "name",
     "actor",
     "occurred_at",
     "received_at",
     "targets",
     "outcome",
     "geo_status",
     "previous_hash",
     "hash"
    ],
    "properties": {
     "seq": {
      "type": "integer",
      "minimum": 1
     },
     "account_seq": {
      "type": "integer",
      "minimum": 1
     },
     "account": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9_.-]{0,63}$"
     },
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "actor": {
      "type": "object",
      "required": [
       "id"
      ],
      "properties": {
       "id": {
        "type": "string"
       },
       "name": {
        "type": "string"
       },
       "email": {
        "type": "string"
       },
       "type": {
        "type": "string",
        "enum": [
         "user",
         "service",
         "system"
        ]
       }
      }
     },
     "ip": {
      "type": "string"
     },
     "occurred_at": {
      "type": "string",
      "format": "date-time"
     },
     "received_at": {
      "type": "string",
      "format": "date-time"
     },
     "targets": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "type",
        "id"
       ],
       "properties": {
        "type": {
         "type": "string"
        },
        "id": {
         "type": "string"
        },
        "name": {
         "type": "string"
        }
       }
      }
     },
     "outcome": {
      "type": "string",
      "enum": [
       "success",
       "failure"
      ]
     },
     "description": {
      "type": "string"
     },
     "user_agent": {
      "type": "string"
     },
     "metadata": {
      "type": "object"
     },
     "geo_status": {
      "type": "string",
      "enum": [
       "ok",
       "private",
       "not_found",
       "no_ip",
       "no_database"
      ]
     },
     "geo": {
      "type": "object",
      "properties": {
       "country_code": {
        "type": "string"
       },
       "country": {
        "type": "string"
       },
       "subdivision_code": {
        "type": "string"
       },
       "subdivision": {
        "type": "string"
       },
       "city": {
        "type": "string"
       },
       "postal_code": {
        "type": "string"
       },
       "time_zone": {
        "type": "string"
       },
       "continent_code": {
        "type": "string"
       },
       "database_type": {
        "type": "string"
       },
       "latitude": {
        "type": "number"
       },
       "longitude": {
        "type": "number"
       },
       "accuracy_radius_km": {
        "type": "integer"
       },
       "database_build_epoch": {
        "type": "integer"
       }
      }
     },
     "previous_hash": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     },
     "hash": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     }
    }
   },
   "Receipt": {
    "type": "object",
    "required": [
     "seq",
     "account_seq",
     "hash",
     "replayed"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "seq": {
      "type": "integer",
      "minimum": 1
     },
     "account_seq": {
      "type": "integer",
      "minimum": 1
     },
     "hash": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     },
     "replayed": {
      "type": "boolean"
     }
    }
   },
   "Receipts": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Receipt"
     },
     {
      "type": "object",
      "required": [
       "receipts"
      ],
      "properties": {
       "receipts": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/Receipt"
        }
       }
      }
     }
    ]
   },
   "EventPage": {
    "type": "object",
    "required": [
     "events",
     "next_cursor"
    ],
    "properties": {
     "events": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/StoredEvent"
      }
     },
     "next_cursor": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "StreamPage": {
    "type": "object",
    "required": [
     "events",
     "next_cursor"
    ],
    "properties": {
     "events": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/StoredEvent"
      }
     },
     "next_cursor": {
      "type": "string"
     }
    }
   },
   "Token": {
    "type": "object",
    "required": [
     "id",
     "account",
     "scope",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "account": {
      "type": "string"
     },
     "scope": {
      "type": "string",
      "enum": [
       "ingest",
       "read",
       "admin"
      ]
     },
     "name": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "revoked_at": {
      "type": "string",
      "format": "date-time"
     },
     "secret": {
      "type": "string"
     }
    }
   },
   "Checkpoint": {
    "type": "object",
    "description": "A signed checkpoint: the C2SP tlog-checkpoint signed note, and the tree head it commits to.",
    "required": [
     "tree_size",
     "root_hash",
     "signed_note",
     "origin",
     "signed_at"
    ],
    "properties": {
     "tree_size": {
      "$ref": "#/components/schemas/NonNegativeInt64"
     },
     "root_hash": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     },
     "signed_note": {
      "type": "string",
      "description": "The C2SP signed note (origin, tree size, base64 root hash, time; blank line; Ed25519 signature line). Verify it with the key from GET /v1/key."
     },
     "origin": {
      "type": "string"
     },
     "signed_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "ExportManifest": {
    "type": "object",
    "description": "What `auditledger verify-export EXPORT MANIFEST --key VERIFIER_KEY` checks the export against: the range, row count, the chain's two ends, the file's SHA-256, a signed checkpoint and the last row's inclusion proof in it.",
    "required": [
     "version",
     "format",
     "account",
     "row_count",
     "file_sha256",
     "created_at"
    ],
    "properties": {
     "version": {
      "const": 1
     },
     "format": {
      "type": "string",
      "enum": [
       "ndjson",
       "csv"
      ]
     },
     "account": {
      "type": "string"
     },
     "received_from": {
      "type": "string",
      "format": "date-time"
     },
     "received_to": {
      "type": "string",
      "format": "date-time"
     },
     "row_count": {
      "$ref": "#/components/schemas/NonNegativeInt64"
     },
     "file_sha256": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "first_seq": {
      "type": "integer",
      "minimum": 1,
      "maximum": 9223372036854775807
     },
     "first_account_seq": {
      "type": "integer",
      "minimum": 1,
      "maximum": 9223372036854775807
     },
     "first_hash": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     },
     "last_seq": {
      "type": "integer",
      "minimum": 1,
      "maximum": 9223372036854775807
     },
     "last_account_seq": {
      "type": "integer",
      "minimum": 1,
      "maximum": 9223372036854775807
     },
     "last_hash": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     },
     "first_previous_hash": {
      "type": "string",
      "pattern": "^[0-9a-f]{64}$"
     },
     "checkpoint": {
      "type": "string",
      "description": "The signed checkpoint note the last row is proved against."
     },
     "inclusion_proof": {
      "type": "object",
      "required": [
       "leaf_index",
       "tree_size",
       "hashes"
      ],
      "properties": {
       "leaf_index": {
        "$ref": "#/components/schemas/NonNegativeInt64"
       },
       "tree_size": {
        "$ref": "#/components/schemas/NonNegativeInt64"
       },
       "hashes": {
        "type": "array",
        "items": {
         "type": "string",
         "pattern": "^[0-9a-f]{64}$"
        }
       }
      }
     }
    }
   },
   "TimeBound": {
    "type": "string",
    "description": "An RFC 3339 date-time, or a date (a whole UTC day).",
    "anyOf": [
     {
      "format": "date-time"
     },
     {
      "format": "date"
     }
    ]
   },
   "NonNegativeInt64": {
    "type": "integer",
    "minimum": 0,
    "maximum": 9223372036854775807
   }
  },
  "responses": {
   "BadRequest": {
    "description": "Malformed request: invalid parameters, body, cursor or query",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "Unauthorized": {
    "description": "No valid bearer token",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "Forbidden": {
    "description": "No permission: another account or a missing scope",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "NotFound": {
    "description": "Resource not found",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "Conflict": {
    "description": "An event id is already used with different content; nothing was stored",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "TooLarge": {
    "description": "The body is larger than 5 MiB",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "UnsupportedMediaType": {
    "description": "Content type is not application/json or application/x-ndjson",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "URITooLong": {
    "description": "The query string is longer than 8 KiB",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "Unavailable": {
    "description": "The ledger is shutting down (`unavailable`), its database is down or unreachable (`store_unavailable`), a read replica has not caught up (`replica_lagging`), or (checkpoint, key and manifest routes) this server was started without a signing key (`signing_unavailable`). Retry later or on another node.",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   }
  },
  "parameters": {
   "Account": {
    "name": "account",
    "in": "query",
    "required": false,
    "description": "The account; required for tokens not bound to one account, and must be the token's own otherwise.",
    "schema": {
     "type": "string",
     "pattern": "^[a-z0-9][a-z0-9_.-]{0,63}$"
    }
   },
   "Limit": {
    "name": "limit",
    "in": "query",
    "required": false,
    "description": "Page size.",
    "schema": {
     "type": "integer",
     "minimum": 1,
     "maximum": 1000,
     "default": 100
    }
   },
   "ExportFormat": {
    "name": "format",
    "in": "query",
    "required": false,
    "description": "Output format.",
    "schema": {
     "type": "string",
     "enum": [
      "ndjson",
      "csv"
     ],
     "default": "ndjson"
    }
   }
  }
 }
}
"""#
}
