// Generated from openapi.yaml by `yarn generate:openapi`; edit the YAML, not this file.
/* eslint-disable */
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.1.0",
  "info": {
    "title": "drift",
    "version": "1",
    "description": "Driftwatch findings, monitored resources, statistics, reports and scans.",
    "license": {
      "name": "Apache-2.0",
      "url": "http://www.apache.org/licenses/LICENSE-2.0.html"
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "components": {
    "parameters": {
      "entityRef": {
        "name": "entityRef",
        "in": "query",
        "description": "Entity refs, e.g. component:default/booking-api",
        "schema": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1,
            "pattern": "^[^\\u0000]*$"
          }
        },
        "style": "form",
        "explode": true
      },
      "findingStatus": {
        "name": "status",
        "in": "query",
        "schema": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/FindingStatus"
          }
        },
        "style": "form",
        "explode": true
      },
      "severity": {
        "name": "severity",
        "in": "query",
        "schema": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/Severity"
          }
        },
        "style": "form",
        "explode": true
      },
      "tier": {
        "name": "tier",
        "in": "query",
        "schema": {
          "type": "array",
          "items": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3
          }
        },
        "style": "form",
        "explode": true
      },
      "owner": {
        "name": "owner",
        "in": "query",
        "description": "Owner entity refs, e.g. group:default/team-booking",
        "schema": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1,
            "pattern": "^[^\\u0000]*$"
          }
        },
        "style": "form",
        "explode": true
      },
      "category": {
        "name": "category",
        "in": "query",
        "schema": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/CategoryOrStatus"
          }
        },
        "style": "form",
        "explode": true
      },
      "provider": {
        "name": "provider",
        "in": "query",
        "schema": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1,
            "pattern": "^[^\\u0000]*$"
          }
        },
        "style": "form",
        "explode": true
      },
      "breached": {
        "name": "breached",
        "in": "query",
        "schema": {
          "type": "boolean"
        }
      },
      "environment": {
        "name": "environment",
        "in": "query",
        "description": "Environments of drift.environments, e.g. production",
        "schema": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1,
            "pattern": "^[^\\u0000]*$"
          }
        },
        "style": "form",
        "explode": true
      },
      "location": {
        "name": "location",
        "in": "query",
        "description": "Locations the resources were compared in, e.g. a cluster name",
        "schema": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1,
            "pattern": "^[^\\u0000]*$"
          }
        },
        "style": "form",
        "explode": true
      },
      "from": {
        "name": "from",
        "in": "query",
        "description": "Start of the window (ISO 8601); default the window's length before `to`",
        "schema": {
          "type": "string",
          "format": "date-time"
        }
      },
      "to": {
        "name": "to",
        "in": "query",
        "description": "End of the window (ISO 8601); default now",
        "schema": {
          "type": "string",
          "format": "date-time"
        }
      },
      "id": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^[^\\u0000]*$"
        }
      }
    },
    "schemas": {
      "Severity": {
        "type": "string",
        "enum": [
          "low",
          "medium",
          "high",
          "critical"
        ]
      },
      "NullableSeverity": {
        "anyOf": [
          {
            "$ref": "#/components/schemas/Severity"
          },
          {
            "type": "null"
          }
        ]
      },
      "FindingStatus": {
        "type": "string",
        "enum": [
          "active",
          "acknowledged",
          "suppressed",
          "resolved"
        ]
      },
      "ResourceStatus": {
        "type": "string",
        "enum": [
          "in-sync",
          "drifted",
          "missing",
          "extra",
          "unknown"
        ]
      },
      "DriftCategory": {
        "type": "string",
        "enum": [
          "Scaling",
          "VersionChange",
          "ResourceChange",
          "ConfigurationChange",
          "LabelChange",
          "AnnotationChange",
          "PortChange",
          "VolumeChange",
          "SecretChange",
          "ConfigMapChange",
          "SecurityChange"
        ]
      },
      "CategoryOrStatus": {
        "type": "string",
        "enum": [
          "Scaling",
          "VersionChange",
          "ResourceChange",
          "ConfigurationChange",
          "LabelChange",
          "AnnotationChange",
          "PortChange",
          "VolumeChange",
          "SecretChange",
          "ConfigMapChange",
          "SecurityChange",
          "missing",
          "extra"
        ]
      },
      "SeverityCounts": {
        "type": "object",
        "description": "Counts by severity; severities without any are left out.",
        "additionalProperties": false,
        "properties": {
          "low": {
            "type": "integer"
          },
          "medium": {
            "type": "integer"
          },
          "high": {
            "type": "integer"
          },
          "critical": {
            "type": "integer"
          }
        }
      },
      "ResourceStatusCounts": {
        "type": "object",
        "description": "Counts by resource status; statuses without any are left out.",
        "additionalProperties": false,
        "properties": {
          "in-sync": {
            "type": "integer"
          },
          "drifted": {
            "type": "integer"
          },
          "missing": {
            "type": "integer"
          },
          "extra": {
            "type": "integer"
          },
          "unknown": {
            "type": "integer"
          }
        }
      },
      "Change": {
        "type": "object",
        "description": "One field-level difference; Secret values are replaced by a fingerprint.",
        "additionalProperties": false,
        "properties": {
          "path": {
            "type": "string",
            "description": "RFC 6901 JSON Pointer"
          },
          "field": {
            "type": "string"
          },
          "op": {
            "type": "string",
            "enum": [
              "changed",
              "added",
              "removed"
            ]
          },
          "category": {
            "$ref": "#/components/schemas/DriftCategory"
          },
          "severity": {
            "$ref": "#/components/schemas/Severity"
          },
          "desired": {
            "description": "The value in Git; null when Git does not set the field"
          },
          "live": {
            "description": "The live value; null when live lacks the field"
          },
          "default": {
            "description": "The API default of the field, when Git leaves it out"
          },
          "manager": {
            "type": "string"
          },
          "time": {
            "type": "string"
          },
          "operation": {
            "type": "string"
          },
          "subresource": {
            "type": "string"
          }
        },
        "required": [
          "path",
          "field",
          "op",
          "category",
          "severity",
          "desired",
          "live"
        ]
      },
      "Finding": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string"
          },
          "entityRef": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          },
          "location": {
            "type": "string"
          },
          "resourceKey": {
            "type": "string"
          },
          "kind": {
            "type": "string"
          },
          "namespace": {
            "type": [
              "string",
              "null"
            ]
          },
          "name": {
            "type": "string"
          },
          "resourceStatus": {
            "type": "string",
            "enum": [
              "drifted",
              "missing",
              "extra"
            ]
          },
          "status": {
            "$ref": "#/components/schemas/FindingStatus"
          },
          "severity": {
            "$ref": "#/components/schemas/Severity"
          },
          "score": {
            "type": "number"
          },
          "categories": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "changes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Change"
            }
          },
          "tier": {
            "type": "integer"
          },
          "owner": {
            "type": [
              "string",
              "null"
            ]
          },
          "system": {
            "type": [
              "string",
              "null"
            ]
          },
          "firstDetectedAt": {
            "type": "string",
            "format": "date-time"
          },
          "openedAt": {
            "type": "string",
            "format": "date-time"
          },
          "lastSeenAt": {
            "type": "string",
            "format": "date-time"
          },
          "resolvedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "slaDueAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "slaBreached": {
            "type": "boolean"
          },
          "acknowledgedBy": {
            "type": [
              "string",
              "null"
            ]
          },
          "acknowledgedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "acknowledgeNote": {
            "type": [
              "string",
              "null"
            ]
          },
          "suppressedBy": {
            "type": [
              "string",
              "null"
            ]
          },
          "suppressedUntil": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "suppressReason": {
            "type": [
              "string",
              "null"
            ]
          },
          "closeReason": {
            "type": [
              "string",
              "null"
            ],
            "description": "entity-removed or entity-unlinked when closed without a fix"
          },
          "environment": {
            "type": [
              "string",
              "null"
            ],
            "description": "The environment of the location"
          }
        },
        "required": [
          "id",
          "entityRef",
          "provider",
          "location",
          "resourceKey",
          "kind",
          "namespace",
          "name",
          "resourceStatus",
          "status",
          "severity",
          "score",
          "categories",
          "changes",
          "tier",
          "owner",
          "system",
          "firstDetectedAt",
          "openedAt",
          "lastSeenAt",
          "resolvedAt",
          "slaDueAt",
          "slaBreached",
          "acknowledgedBy",
          "acknowledgedAt",
          "acknowledgeNote",
          "suppressedBy",
          "suppressedUntil",
          "suppressReason",
          "closeReason",
          "environment"
        ]
      },
      "EventType": {
        "type": "string",
        "enum": [
          "detected",
          "changed",
          "resolved",
          "acknowledged",
          "suppressed",
          "routed",
          "escalated",
          "reopened",
          "incident-linked"
        ]
      },
      "Event": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "integer"
          },
          "findingId": {
            "type": [
              "string",
              "null"
            ]
          },
          "entityRef": {
            "type": "string"
          },
          "type": {
            "$ref": "#/components/schemas/EventType"
          },
          "actor": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "note": {
            "type": [
              "string",
              "null"
            ]
          },
          "details": {
            "type": [
              "object",
              "null"
            ],
            "description": "What the event type records, e.g. a routed delivery"
          }
        },
        "required": [
          "id",
          "findingId",
          "entityRef",
          "type",
          "actor",
          "at",
          "note",
          "details"
        ]
      },
      "AuditEvent": {
        "type": "object",
        "description": "An event with the resource it is about (null when its finding was purged).",
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "integer"
          },
          "findingId": {
            "type": [
              "string",
              "null"
            ]
          },
          "entityRef": {
            "type": "string"
          },
          "type": {
            "$ref": "#/components/schemas/EventType"
          },
          "actor": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "note": {
            "type": [
              "string",
              "null"
            ]
          },
          "details": {
            "type": [
              "object",
              "null"
            ]
          },
          "resourceKey": {
            "type": [
              "string",
              "null"
            ]
          },
          "owner": {
            "type": [
              "string",
              "null"
            ]
          },
          "severity": {
            "$ref": "#/components/schemas/NullableSeverity"
          }
        },
        "required": [
          "id",
          "findingId",
          "entityRef",
          "type",
          "actor",
          "at",
          "note",
          "details",
          "resourceKey",
          "owner",
          "severity"
        ]
      },
      "SurfaceGroup": {
        "type": "object",
        "description": "Resources under one key (a provider, kind or system ref; null for no system), by status.",
        "additionalProperties": false,
        "properties": {
          "key": {
            "type": [
              "string",
              "null"
            ]
          },
          "total": {
            "type": "integer"
          },
          "byStatus": {
            "type": "object",
            "additionalProperties": {
              "type": "integer"
            }
          }
        },
        "required": [
          "key",
          "total",
          "byStatus"
        ]
      },
      "LocationSurfaceGroup": {
        "type": "object",
        "description": "Resources in one location (a cluster, a plan), by status, with the provider that reads it.",
        "additionalProperties": false,
        "properties": {
          "key": {
            "type": [
              "string",
              "null"
            ]
          },
          "total": {
            "type": "integer"
          },
          "byStatus": {
            "type": "object",
            "additionalProperties": {
              "type": "integer"
            }
          },
          "provider": {
            "type": "string"
          }
        },
        "required": [
          "key",
          "total",
          "byStatus",
          "provider"
        ]
      },
      "MonitoredResource": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          },
          "location": {
            "type": "string"
          },
          "resourceKey": {
            "type": "string"
          },
          "apiVersion": {
            "type": [
              "string",
              "null"
            ]
          },
          "kind": {
            "type": "string"
          },
          "namespace": {
            "type": [
              "string",
              "null"
            ]
          },
          "name": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/ResourceStatus"
          },
          "lastScannedAt": {
            "type": "string",
            "format": "date-time"
          },
          "error": {
            "type": [
              "string",
              "null"
            ]
          },
          "environment": {
            "type": [
              "string",
              "null"
            ],
            "description": "The environment of the location"
          }
        },
        "required": [
          "entityRef",
          "provider",
          "location",
          "resourceKey",
          "apiVersion",
          "kind",
          "namespace",
          "name",
          "status",
          "lastScannedAt",
          "error",
          "environment"
        ]
      },
      "Scan": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string"
          },
          "trigger": {
            "type": "string",
            "enum": [
              "schedule",
              "manual",
              "startup",
              "demo"
            ]
          },
          "entityRef": {
            "type": [
              "string",
              "null"
            ]
          },
          "requestedBy": {
            "type": [
              "string",
              "null"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "queued",
              "running",
              "succeeded",
              "partial",
              "failed"
            ]
          },
          "queuedAt": {
            "type": "string",
            "format": "date-time"
          },
          "startedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "finishedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "entitiesTotal": {
            "type": "integer"
          },
          "entitiesDone": {
            "type": "integer"
          },
          "resourcesScanned": {
            "type": "integer"
          },
          "findingsOpened": {
            "type": "integer"
          },
          "findingsResolved": {
            "type": "integer"
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "entityRef": {
                  "type": "string"
                },
                "location": {
                  "type": "string"
                },
                "message": {
                  "type": "string"
                }
              },
              "required": [
                "entityRef",
                "location",
                "message"
              ]
            }
          }
        },
        "required": [
          "id",
          "trigger",
          "entityRef",
          "requestedBy",
          "status",
          "queuedAt",
          "startedAt",
          "finishedAt",
          "entitiesTotal",
          "entitiesDone",
          "resourcesScanned",
          "findingsOpened",
          "findingsResolved",
          "errors"
        ]
      },
      "IncidentLink": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "findingId": {
            "type": "string"
          },
          "url": {
            "type": "string"
          },
          "title": {
            "type": [
              "string",
              "null"
            ]
          },
          "linkedBy": {
            "type": "string"
          },
          "linkedAt": {
            "type": "string",
            "format": "date-time"
          }
        },
        "required": [
          "findingId",
          "url",
          "title",
          "linkedBy",
          "linkedAt"
        ]
      },
      "ReviewIncident": {
        "type": "object",
        "description": "An incident link of the review's window, with the finding it links.",
        "additionalProperties": false,
        "properties": {
          "findingId": {
            "type": "string"
          },
          "url": {
            "type": "string"
          },
          "title": {
            "type": [
              "string",
              "null"
            ]
          },
          "linkedBy": {
            "type": "string"
          },
          "linkedAt": {
            "type": "string",
            "format": "date-time"
          },
          "entityRef": {
            "type": "string"
          },
          "resourceKey": {
            "type": "string"
          },
          "severity": {
            "$ref": "#/components/schemas/Severity"
          },
          "status": {
            "$ref": "#/components/schemas/FindingStatus"
          }
        },
        "required": [
          "findingId",
          "url",
          "title",
          "linkedBy",
          "linkedAt",
          "entityRef",
          "resourceKey",
          "severity",
          "status"
        ]
      },
      "StatisticsGroup": {
        "type": "object",
        "description": "One group of the statistics (a day, an owner, a tier, ...).",
        "additionalProperties": false,
        "properties": {
          "key": {
            "type": "string"
          },
          "detected": {
            "type": "integer",
            "description": "Findings opened in the window (for days, on that day)"
          },
          "resolved": {
            "type": "integer",
            "description": "Findings resolved in the window (for days, on that day)"
          },
          "active": {
            "type": "integer",
            "description": "Unresolved findings (for days, at the end of that day)"
          },
          "breached": {
            "type": "integer",
            "description": "Unresolved findings past their SLA; every grouping but days"
          },
          "bySeverity": {
            "$ref": "#/components/schemas/SeverityCounts"
          }
        },
        "required": [
          "key",
          "detected",
          "resolved",
          "active"
        ]
      },
      "Statistics": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "from": {
            "type": "string",
            "format": "date-time"
          },
          "to": {
            "type": "string",
            "format": "date-time"
          },
          "groupBy": {
            "type": "string",
            "enum": [
              "day",
              "owner",
              "tier",
              "category",
              "provider",
              "severity"
            ]
          },
          "totals": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "active": {
                "type": "integer"
              },
              "acknowledged": {
                "type": "integer"
              },
              "suppressed": {
                "type": "integer"
              },
              "unresolved": {
                "type": "integer"
              },
              "detectedInRange": {
                "type": "integer"
              },
              "resolvedInRange": {
                "type": "integer"
              },
              "breached": {
                "type": "integer"
              },
              "mttrHours": {
                "type": [
                  "number",
                  "null"
                ],
                "description": "Null when no finding was resolved in the window"
              },
              "bySeverity": {
                "$ref": "#/components/schemas/SeverityCounts"
              },
              "byTier": {
                "type": "object",
                "additionalProperties": {
                  "type": "integer"
                }
              },
              "byCategory": {
                "type": "object",
                "additionalProperties": {
                  "type": "integer"
                }
              }
            },
            "required": [
              "active",
              "acknowledged",
              "suppressed",
              "unresolved",
              "detectedInRange",
              "resolvedInRange",
              "breached",
              "mttrHours",
              "bySeverity",
              "byTier",
              "byCategory"
            ]
          },
          "coverage": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "monitored": {
                "type": "integer"
              },
              "inSync": {
                "type": "integer"
              },
              "byStatus": {
                "$ref": "#/components/schemas/ResourceStatusCounts"
              },
              "inSyncRatio": {
                "type": [
                  "number",
                  "null"
                ],
                "description": "Null when nothing is monitored"
              }
            },
            "required": [
              "monitored",
              "inSync",
              "byStatus",
              "inSyncRatio"
            ]
          },
          "groups": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/StatisticsGroup"
            }
          }
        },
        "required": [
          "from",
          "to",
          "groupBy",
          "totals",
          "coverage",
          "groups"
        ]
      },
      "ReviewReport": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "from": {
            "type": "string",
            "format": "date-time"
          },
          "to": {
            "type": "string",
            "format": "date-time"
          },
          "newFindings": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "resolved": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "stillOpen": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "breaches": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "counts": {
            "type": "object",
            "description": "How many findings each list has; the lists hold the most severe few hundred.",
            "additionalProperties": false,
            "properties": {
              "newFindings": {
                "type": "integer"
              },
              "resolved": {
                "type": "integer"
              },
              "stillOpen": {
                "type": "integer"
              },
              "breaches": {
                "type": "integer"
              }
            },
            "required": [
              "newFindings",
              "resolved",
              "stillOpen",
              "breaches"
            ]
          },
          "topOwners": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "owner": {
                  "type": "string"
                },
                "open": {
                  "type": "integer"
                },
                "breached": {
                  "type": "integer"
                }
              },
              "required": [
                "owner",
                "open",
                "breached"
              ]
            }
          },
          "topCategories": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "category": {
                  "type": "string"
                },
                "open": {
                  "type": "integer"
                }
              },
              "required": [
                "category",
                "open"
              ]
            }
          },
          "incidents": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ReviewIncident"
            }
          }
        },
        "required": [
          "from",
          "to",
          "newFindings",
          "resolved",
          "stillOpen",
          "breaches",
          "counts",
          "topOwners",
          "topCategories",
          "incidents"
        ]
      },
      "RoutingPolicy": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "maxAttempts": {
            "type": "integer"
          },
          "tiers": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "tier": {
                  "type": "integer"
                },
                "actions": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "id": {
                        "type": "string"
                      },
                      "registered": {
                        "type": "boolean"
                      },
                      "dryRun": {
                        "type": "boolean"
                      }
                    },
                    "required": [
                      "id",
                      "registered",
                      "dryRun"
                    ]
                  }
                },
                "slaHours": {
                  "type": "number"
                },
                "minSeverity": {
                  "$ref": "#/components/schemas/Severity"
                },
                "renotifyHours": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "escalateTo": {
                  "type": [
                    "integer",
                    "null"
                  ]
                }
              },
              "required": [
                "tier",
                "actions",
                "slaHours",
                "minSeverity",
                "renotifyHours",
                "escalateTo"
              ]
            }
          }
        },
        "required": [
          "tiers",
          "maxAttempts"
        ]
      },
      "RoutingSummary": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "from": {
            "type": "string",
            "format": "date-time"
          },
          "to": {
            "type": "string",
            "format": "date-time"
          },
          "paged": {
            "type": "integer"
          },
          "pullRequestsOpened": {
            "type": "integer"
          },
          "pullRequestsMerged": {
            "type": "integer"
          },
          "notified": {
            "type": "integer"
          },
          "acknowledged": {
            "type": "integer"
          },
          "acknowledgedWithinSla": {
            "type": "integer"
          },
          "escalated": {
            "type": "integer"
          },
          "failedDeliveries": {
            "type": "integer"
          },
          "pending": {
            "type": "integer"
          }
        },
        "required": [
          "from",
          "to",
          "paged",
          "pullRequestsOpened",
          "pullRequestsMerged",
          "notified",
          "acknowledged",
          "acknowledgedWithinSla",
          "escalated",
          "failedDeliveries",
          "pending"
        ]
      },
      "GateResult": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "result": {
            "type": "string",
            "enum": [
              "pass",
              "fail"
            ]
          },
          "checkedAt": {
            "type": "string",
            "format": "date-time"
          },
          "reasons": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "findingId": {
                  "type": "string"
                },
                "resourceKey": {
                  "type": "string"
                },
                "location": {
                  "type": "string"
                },
                "severity": {
                  "$ref": "#/components/schemas/Severity"
                },
                "slaDueAt": {
                  "type": "string",
                  "format": "date-time"
                },
                "message": {
                  "type": "string"
                }
              },
              "required": [
                "findingId",
                "resourceKey",
                "location",
                "severity",
                "slaDueAt",
                "message"
              ]
            }
          }
        },
        "required": [
          "entityRef",
          "result",
          "reasons",
          "checkedAt"
        ]
      },
      "Error": {
        "type": "object",
        "properties": {
          "error": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            }
          }
        },
        "required": [
          "error"
        ]
      }
    },
    "responses": {
      "ErrorResponse": {
        "description": "An error, with a message that names what was wrong.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    }
  },
  "paths": {
    "/health": {
      "get": {
        "operationId": "GetHealth",
        "description": "Whether the plugin and its database answer. No credentials needed; callers who may read findings (drift.finding.read) also get the database state, the demo flag and the last scan.",
        "security": [],
        "responses": {
          "200": {
            "description": "Healthy.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "status": {
                      "type": "string",
                      "enum": [
                        "ok"
                      ]
                    },
                    "database": {
                      "type": "string",
                      "enum": [
                        "ok"
                      ]
                    },
                    "demo": {
                      "type": "boolean",
                      "description": "True when the data comes from the replayed demo snapshots"
                    },
                    "lastScan": {
                      "type": [
                        "object",
                        "null"
                      ],
                      "description": "The most recent scan; null before the first",
                      "additionalProperties": false,
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "status": {
                          "type": "string",
                          "enum": [
                            "queued",
                            "running",
                            "succeeded",
                            "partial",
                            "failed"
                          ]
                        },
                        "finishedAt": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "format": "date-time"
                        },
                        "trigger": {
                          "type": "string",
                          "enum": [
                            "schedule",
                            "manual",
                            "startup",
                            "demo"
                          ]
                        }
                      },
                      "required": [
                        "id",
                        "status",
                        "finishedAt",
                        "trigger"
                      ]
                    }
                  },
                  "required": [
                    "status"
                  ]
                }
              }
            }
          },
          "503": {
            "description": "The database does not answer.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "status": {
                      "type": "string",
                      "enum": [
                        "unavailable"
                      ]
                    }
                  },
                  "required": [
                    "status"
                  ]
                }
              }
            }
          }
        }
      }
    },
    "/findings": {
      "get": {
        "operationId": "ListFindings",
        "description": "Findings, filtered, sorted and paginated with an opaque cursor.",
        "parameters": [
          {
            "$ref": "#/components/parameters/entityRef"
          },
          {
            "$ref": "#/components/parameters/findingStatus"
          },
          {
            "$ref": "#/components/parameters/severity"
          },
          {
            "$ref": "#/components/parameters/tier"
          },
          {
            "$ref": "#/components/parameters/owner"
          },
          {
            "$ref": "#/components/parameters/category"
          },
          {
            "$ref": "#/components/parameters/provider"
          },
          {
            "$ref": "#/components/parameters/breached"
          },
          {
            "$ref": "#/components/parameters/environment"
          },
          {
            "$ref": "#/components/parameters/location"
          },
          {
            "name": "sort",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "severity",
                "firstDetected",
                "lastSeen",
                "slaDue",
                "score"
              ],
              "default": "severity"
            }
          },
          {
            "name": "order",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "asc",
                "desc"
              ],
              "default": "desc"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500,
              "default": 50
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 2000,
              "pattern": "^[^\\u0000]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page of findings.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Finding"
                      }
                    },
                    "totalCount": {
                      "type": "integer"
                    },
                    "nextCursor": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "items",
                    "totalCount"
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/findings/{id}": {
      "get": {
        "operationId": "GetFinding",
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "responses": {
          "200": {
            "description": "The finding and its events, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "finding": {
                      "$ref": "#/components/schemas/Finding"
                    },
                    "events": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Event"
                      }
                    },
                    "incidents": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/IncidentLink"
                      }
                    }
                  },
                  "required": [
                    "finding",
                    "events",
                    "incidents"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/findings/{id}/incidents": {
      "post": {
        "operationId": "LinkFindingIncident",
        "description": "Links the finding to an incident (its RCA lists the drift); an audit event.",
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "url"
                ],
                "properties": {
                  "url": {
                    "type": "string",
                    "format": "uri",
                    "maxLength": 2000,
                    "pattern": "^https?://[^\\u0000\\s]+$"
                  },
                  "title": {
                    "type": "string",
                    "maxLength": 500,
                    "pattern": "^[^\\u0000]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The link.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IncidentLink"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "409": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/findings/{id}/acknowledge": {
      "post": {
        "operationId": "AcknowledgeFinding",
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "note": {
                    "type": "string",
                    "maxLength": 4000,
                    "pattern": "^[^\\u0000]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The acknowledged finding.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Finding"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "409": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/findings/{id}/suppress": {
      "post": {
        "operationId": "SuppressFinding",
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "until": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "reason": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 4000,
                    "pattern": "^[^\\u0000]*$"
                  }
                },
                "required": [
                  "until",
                  "reason"
                ]
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The suppressed finding.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Finding"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/findings/{id}/reopen": {
      "post": {
        "operationId": "ReopenFinding",
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "note": {
                    "type": "string",
                    "maxLength": 4000,
                    "pattern": "^[^\\u0000]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The reopened finding.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Finding"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/environments": {
      "get": {
        "operationId": "GetEntityEnvironments",
        "description": "The same objects (kind, namespace, name) compared across the entity's environments, live against live: per pair of environments, the fields that differ live but not in Git.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000]*$"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000]*$"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The entity's environments and, per object found live in two or more, what differs.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "entityRef": {
                      "type": "string"
                    },
                    "environments": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "objects": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "resourceKey": {
                            "type": "string"
                          },
                          "kind": {
                            "type": "string"
                          },
                          "namespace": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "name": {
                            "type": "string"
                          },
                          "pairs": {
                            "type": "array",
                            "items": {
                              "type": "object",
                              "additionalProperties": false,
                              "properties": {
                                "environments": {
                                  "type": "array",
                                  "description": "The two environments compared",
                                  "items": {
                                    "type": "string"
                                  },
                                  "minItems": 2,
                                  "maxItems": 2
                                },
                                "locations": {
                                  "type": "array",
                                  "description": "The cluster of each",
                                  "items": {
                                    "type": "string"
                                  },
                                  "minItems": 2,
                                  "maxItems": 2
                                },
                                "differences": {
                                  "type": "array",
                                  "description": "Fields that differ live and that Git does not set apart",
                                  "items": {
                                    "type": "object",
                                    "additionalProperties": false,
                                    "properties": {
                                      "path": {
                                        "type": "string"
                                      },
                                      "field": {
                                        "type": "string"
                                      },
                                      "category": {
                                        "type": "string"
                                      },
                                      "values": {
                                        "type": "array",
                                        "description": "The live value in each environment",
                                        "items": {},
                                        "minItems": 2,
                                        "maxItems": 2
                                      }
                                    },
                                    "required": [
                                      "path",
                                      "field",
                                      "category",
                                      "values"
                                    ]
                                  }
                                },
                                "declared": {
                                  "type": "integer",
                                  "description": "Live differences that Git declares (the environments' rendered states differ the same way)"
                                }
                              },
                              "required": [
                                "environments",
                                "locations",
                                "differences",
                                "declared"
                              ]
                            }
                          }
                        },
                        "required": [
                          "resourceKey",
                          "kind",
                          "namespace",
                          "name",
                          "pairs"
                        ]
                      }
                    }
                  },
                  "required": [
                    "entityRef",
                    "environments",
                    "objects"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/summary": {
      "get": {
        "operationId": "GetEntitySummary",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000]*$"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000]*$"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Resource counts by status, open findings and the worst severity.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "entityRef": {
                      "type": "string"
                    },
                    "resources": {
                      "type": "object",
                      "additionalProperties": false,
                      "properties": {
                        "total": {
                          "type": "integer"
                        },
                        "byStatus": {
                          "$ref": "#/components/schemas/ResourceStatusCounts"
                        }
                      },
                      "required": [
                        "total",
                        "byStatus"
                      ]
                    },
                    "openFindings": {
                      "type": "integer"
                    },
                    "worstSeverity": {
                      "$ref": "#/components/schemas/NullableSeverity"
                    },
                    "lastScannedAt": {
                      "type": [
                        "string",
                        "null"
                      ],
                      "format": "date-time"
                    },
                    "externalStatus": {
                      "type": "array",
                      "description": "What the tools that deploy the entity (Argo CD) said at the last scan.",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "source",
                          "app",
                          "at"
                        ],
                        "properties": {
                          "source": {
                            "type": "string",
                            "description": "The tool, e.g. argocd"
                          },
                          "app": {
                            "type": "string"
                          },
                          "sync": {
                            "type": "string",
                            "description": "e.g. Synced, OutOfSync"
                          },
                          "health": {
                            "type": "string",
                            "description": "e.g. Healthy, Degraded"
                          },
                          "revision": {
                            "type": "string"
                          },
                          "at": {
                            "type": "string",
                            "format": "date-time"
                          }
                        }
                      }
                    }
                  },
                  "required": [
                    "entityRef",
                    "resources",
                    "openFindings",
                    "worstSeverity",
                    "lastScannedAt",
                    "externalStatus"
                  ]
                }
              }
            }
          }
        }
      }
    },
    "/resources": {
      "get": {
        "operationId": "ListResources",
        "description": "Monitored resources (the surface area) by entity, paginated with an opaque cursor.",
        "parameters": [
          {
            "name": "entityRef",
            "in": "query",
            "schema": {
              "type": "string",
              "minLength": 1,
              "pattern": "^[^\\u0000]*$"
            }
          },
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "array",
              "items": {
                "$ref": "#/components/schemas/ResourceStatus"
              }
            },
            "style": "form",
            "explode": true
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500,
              "default": 100
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 2000,
              "pattern": "^[^\\u0000]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page of monitored resources.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/MonitoredResource"
                      }
                    },
                    "totalCount": {
                      "type": "integer"
                    },
                    "nextCursor": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "items",
                    "totalCount"
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/surface": {
      "get": {
        "operationId": "GetSurfaceArea",
        "description": "The monitored resources counted by status, per provider, kind, system, environment and location: the surface area of the entities that match the filters (owner, system and tier are the entity's).",
        "parameters": [
          {
            "$ref": "#/components/parameters/entityRef"
          },
          {
            "$ref": "#/components/parameters/owner"
          },
          {
            "$ref": "#/components/parameters/tier"
          },
          {
            "$ref": "#/components/parameters/environment"
          },
          {
            "$ref": "#/components/parameters/location"
          },
          {
            "name": "system",
            "in": "query",
            "description": "System entity refs, e.g. system:default/booking",
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "minLength": 1,
                "pattern": "^[^\\u0000]*$"
              }
            },
            "style": "form",
            "explode": true
          }
        ],
        "responses": {
          "200": {
            "description": "Resource counts.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "monitored": {
                      "type": "integer"
                    },
                    "byStatus": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "integer"
                      }
                    },
                    "provider": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/SurfaceGroup"
                      }
                    },
                    "kind": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/SurfaceGroup"
                      }
                    },
                    "system": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/SurfaceGroup"
                      }
                    },
                    "environment": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/SurfaceGroup"
                      }
                    },
                    "location": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/LocationSurfaceGroup"
                      }
                    }
                  },
                  "required": [
                    "monitored",
                    "byStatus",
                    "provider",
                    "kind",
                    "system",
                    "environment",
                    "location"
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/statistics": {
      "get": {
        "operationId": "GetStatistics",
        "parameters": [
          {
            "$ref": "#/components/parameters/from"
          },
          {
            "$ref": "#/components/parameters/to"
          },
          {
            "name": "groupBy",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "day",
                "owner",
                "tier",
                "category",
                "provider",
                "severity"
              ],
              "default": "day"
            }
          },
          {
            "$ref": "#/components/parameters/entityRef"
          },
          {
            "$ref": "#/components/parameters/severity"
          },
          {
            "$ref": "#/components/parameters/tier"
          },
          {
            "$ref": "#/components/parameters/owner"
          },
          {
            "$ref": "#/components/parameters/category"
          },
          {
            "$ref": "#/components/parameters/provider"
          },
          {
            "$ref": "#/components/parameters/environment"
          },
          {
            "$ref": "#/components/parameters/location"
          }
        ],
        "responses": {
          "200": {
            "description": "Totals, coverage and groups for the window (default the last 14 days; at most drift.statistics.maxWindowDays, 366 by default).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Statistics"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/events": {
      "get": {
        "operationId": "ListEvents",
        "description": "The audit log, newest first, with the resource each event is about.",
        "parameters": [
          {
            "$ref": "#/components/parameters/from"
          },
          {
            "$ref": "#/components/parameters/to"
          },
          {
            "$ref": "#/components/parameters/entityRef"
          },
          {
            "name": "type",
            "in": "query",
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "detected",
                  "changed",
                  "resolved",
                  "acknowledged",
                  "suppressed",
                  "routed",
                  "escalated",
                  "reopened",
                  "incident-linked"
                ]
              }
            },
            "style": "form",
            "explode": true
          },
          {
            "name": "actor",
            "in": "query",
            "description": "human for people's decisions only, system for the scanner's",
            "schema": {
              "type": "string",
              "enum": [
                "human",
                "system"
              ]
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000,
              "default": 1000
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Events in the window (default the last 90 days).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/AuditEvent"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/trends": {
      "get": {
        "operationId": "GetTrends",
        "description": "Daily counts of detected and resolved drift per category and severity, from the daily rollups.",
        "parameters": [
          {
            "$ref": "#/components/parameters/from"
          },
          {
            "$ref": "#/components/parameters/to"
          },
          {
            "$ref": "#/components/parameters/category"
          },
          {
            "$ref": "#/components/parameters/severity"
          },
          {
            "$ref": "#/components/parameters/owner"
          },
          {
            "$ref": "#/components/parameters/tier"
          }
        ],
        "responses": {
          "200": {
            "description": "One row per day, category and severity with any activity (default the last 90 days; at most drift.statistics.maxWindowDays, 366 by default).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "from": {
                      "type": "string",
                      "format": "date-time"
                    },
                    "to": {
                      "type": "string",
                      "format": "date-time"
                    },
                    "items": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "day": {
                            "type": "string",
                            "format": "date"
                          },
                          "category": {
                            "type": "string"
                          },
                          "severity": {
                            "$ref": "#/components/schemas/Severity"
                          },
                          "detected": {
                            "type": "integer"
                          },
                          "resolved": {
                            "type": "integer"
                          }
                        },
                        "required": [
                          "day",
                          "category",
                          "severity",
                          "detected",
                          "resolved"
                        ]
                      }
                    }
                  },
                  "required": [
                    "from",
                    "to",
                    "items"
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/report": {
      "get": {
        "operationId": "GetReviewReport",
        "parameters": [
          {
            "$ref": "#/components/parameters/from"
          },
          {
            "$ref": "#/components/parameters/to"
          },
          {
            "name": "format",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "csv",
                "markdown"
              ],
              "default": "json"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The review of the window (default the last 14 days; at most drift.statistics.maxWindowDays, 366 by default).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReviewReport"
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              },
              "text/markdown": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/routing/policy": {
      "get": {
        "operationId": "GetRoutingPolicy",
        "description": "The routing policy in force, per tier, and which actions are installed or in dry run.",
        "responses": {
          "200": {
            "description": "The policy.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RoutingPolicy"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/routing/summary": {
      "get": {
        "operationId": "GetRoutingSummary",
        "description": "Routing outcomes in a window (default the last 14 days).",
        "parameters": [
          {
            "$ref": "#/components/parameters/from"
          },
          {
            "$ref": "#/components/parameters/to"
          }
        ],
        "responses": {
          "200": {
            "description": "Counts of pages, pull requests, notifications, acknowledgements and failures.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RoutingSummary"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/gate": {
      "get": {
        "operationId": "GetGate",
        "description": "The merge gate: fails while a tier-1 finding of the entity is unreconciled past its SLA.",
        "parameters": [
          {
            "name": "entityRef",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 2000,
              "pattern": "^[^\\u0000]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "pass or fail, with one reason per blocking finding.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GateResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/scans": {
      "post": {
        "operationId": "CreateScan",
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "entityRef": {
                    "type": "string",
                    "minLength": 1,
                    "pattern": "^[^\\u0000]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The scan was queued, or the id of the scan already queued or running for the same request (the whole catalog, or the same entity).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "id": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "id"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/scans/{id}": {
      "get": {
        "operationId": "GetScan",
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "responses": {
          "200": {
            "description": "The scan and its progress.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Scan"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    }
  }
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
