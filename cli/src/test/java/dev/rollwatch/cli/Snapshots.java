package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.cli.http.ApiClient;

/** Deployment JSON as GET /api/v1/deployments/{id} shows it: plan 5% -> analysis 20s -> 25% -> analysis -> 100%. */
final class Snapshots {

    static final String ID = "5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97";

    private Snapshots() {
    }

    /** {@code history} entries as "status" strings, one per started step (index = position). */
    static ObjectNode deployment(String status, int weight, String... history) {
        ObjectNode d = ApiClient.JSON.createObjectNode();
        d.put("id", ID).put("service", "checkout").put("environment", "production").put("version", "2.4.0")
                .put("previousVersion", "2.3.0").put("status", status).put("currentStep", Math.max(0,
                        history.length - 1)).put("currentWeight", weight).put("createdAt", "2026-11-22T08:00:00Z");
        if (status.equals("ROLLED_BACK")) {
            d.put("statusReason", "rolled back to 2.3.0");
        }
        if (status.equals("SUCCEEDED") || status.equals("ROLLED_BACK") || status.equals("FAILED")
                || status.equals("ABORTED") || status.equals("ROLLBACK_FAILED")) {
            d.put("finishedAt", "2026-11-22T08:00:45Z");
        }
        ArrayNode steps = d.putArray("steps");
        steps.addObject().put("kind", "SET_WEIGHT").put("weight", 5);
        steps.addObject().put("kind", "ANALYSIS").put("duration", "PT20S");
        steps.addObject().put("kind", "SET_WEIGHT").put("weight", 25);
        steps.addObject().put("kind", "ANALYSIS").put("duration", 20.0);
        steps.addObject().put("kind", "SET_WEIGHT").put("weight", 100);
        ArrayNode h = d.putArray("history");
        int[] weights = {5, 0, 25, 0, 100};
        String[] kinds = {"SET_WEIGHT", "ANALYSIS", "SET_WEIGHT", "ANALYSIS", "SET_WEIGHT"};
        for (int i = 0; i < history.length; i++) {
            ObjectNode s = h.addObject().put("index", i).put("kind", kinds[i]).put("status", history[i])
                    .put("startedAt", "2026-11-22T08:00:0" + i + "Z");
            if (kinds[i].equals("SET_WEIGHT")) {
                s.put("weight", weights[i]);
            }
            if (!history[i].equals("RUNNING")) {
                s.put("finishedAt", "2026-11-22T08:00:0" + i + ".500Z");
            }
        }
        return d;
    }
}
