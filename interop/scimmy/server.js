// SCIMMY (npm "scimmy" with "scimmy-routers"), an independent open-source
// SCIM 2.0 implementation, served with an in-memory store on 127.0.0.1, so
// that the provider's acceptance lifecycle runs against a server this
// project did not write. SCIMMY parses, validates, filters and applies PATCH
// itself; this file only stores what it hands over.
import {randomUUID} from "node:crypto";
import {writeFileSync} from "node:fs";
import express from "express";
import {rateLimit} from "express-rate-limit";
import {TokenBucket} from "limiter";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const portFile = process.argv[2];

function memoryStore(resourceType, unique) {
    const docs = new Map();
    const clone = (value) => JSON.parse(JSON.stringify(value));
    SCIMMY.Resources.declare(resourceType)
        .ingress((resource, instance) => {
            const doc = clone(instance);
            if (unique) {
                const name = String(doc[unique] ?? "").toLowerCase();
                for (const [id, other] of docs) {
                    if (id !== resource.id && String(other[unique] ?? "").toLowerCase() === name) {
                        throw new SCIMMY.Types.Error(409, "uniqueness", `${unique} ${doc[unique]} is already taken`);
                    }
                }
            }
            const now = new Date().toISOString();
            if (resource.id) {
                const old = docs.get(resource.id);
                if (!old) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
                doc.id = resource.id;
                doc.meta = {created: old.meta.created, lastModified: now};
            } else {
                doc.id = randomUUID();
                doc.meta = {created: now, lastModified: now};
                if (unique === "userName" && doc.active === undefined) doc.active = true;
            }
            docs.set(doc.id, doc);
            return clone(doc);
        })
        .egress((resource) => {
            if (resource.id) {
                const doc = docs.get(resource.id);
                if (!doc) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
                return clone(doc);
            }
            const all = [...docs.values()].map(clone);
            return resource.filter ? resource.filter.match(all) : all;
        })
        .degress((resource) => {
            if (!docs.delete(resource.id)) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
        });
}

memoryStore(SCIMMY.Resources.User, "userName");
SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false);
memoryStore(SCIMMY.Resources.Group, "");
SCIMMY.Config.set({patch: true, filter: {supported: true, maxResults: 100}});

const scimRoutes = () => new SCIMMYRouters({
    type: "bearer",
    docUri: "https://github.com/scimmyjs/scimmy",
    // Any bearer token: the interop tests check SCIM behaviour, not auth.
    handler: (request) => {
        if (!request.header("Authorization")?.startsWith("Bearer ")) throw new Error("Authorization not detected!");
        return "interop";
    },
});

// The same store behind express-rate-limit, a rate limiter this project did
// not write either: RATE_LIMIT requests per second (a fixed window per
// client), 429 with Retry-After beyond. Under /limited the limit is
// announced only in X-RateLimit-* headers (no window stated, so a client
// must learn it); under /limited-draft8 in a draft-8 RateLimit-Policy.
// RATE_LIMIT is 10 unless the environment sets SCIMMY_RATE_LIMIT (the
// benchmark's third-party scenario uses 20).
const RATE_LIMIT = Number(process.env.SCIMMY_RATE_LIMIT || 10);
const limited = (headers) => rateLimit({
    windowMs: 1000,
    limit: RATE_LIMIT,
    identifier: "scim",
    ...headers,
    message: "Too many requests, please try again later.",
});

// The same store behind a token bucket with a burst of one (npm "limiter",
// also not written here), in the shape of nginx's limit_req with
// limit_req_status 429: RATE_LIMIT requests per second evenly spaced, any
// two requests closer than 1/RATE_LIMIT apart refused, nothing announced
// (no Retry-After, no rate-limit headers).
const bucket = new TokenBucket({bucketSize: 1, tokensPerInterval: RATE_LIMIT, interval: "second"});
const evenlySpaced = (request, response, next) => {
    if (bucket.tryRemoveTokens(1)) return next();
    response.status(429).type("text/plain").send("Too Many Requests");
};

const app = express();
app.use("/scim/v2", scimRoutes());
app.use("/limited/scim/v2", limited({standardHeaders: false, legacyHeaders: true}), scimRoutes());
app.use("/limited-draft8/scim/v2", limited({standardHeaders: "draft-8", legacyHeaders: false}), scimRoutes());
app.use("/bucket/scim/v2", evenlySpaced, scimRoutes());

const server = app.listen(0, "127.0.0.1", () => {
    const {port} = server.address();
    if (portFile) writeFileSync(portFile, String(port));
    console.log(`SCIMMY serving http://127.0.0.1:${port}/scim/v2 (rate-limited routes: ${RATE_LIMIT}/s)`);
});
