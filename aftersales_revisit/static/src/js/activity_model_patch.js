import { Activity } from "@mail/core/web/activity_model";
import { patch } from "@web/core/utils/patch";

/**
 * A follow-up call is done once the call is on file: "Done" (and "Done &
 * Schedule Next", the plan schedules the next step) on a follow-up call
 * activity open the call form prefilled from the follow-up, the feedback
 * typed in the popover becoming the call's key points. Saving the call
 * completes the follow-up and its activity.
 */
patch(Activity.prototype, {
    get isAftersalesFollowUpCall() {
        return this.res_model === "aftersales.revisit" && this.activity_category === "phonecall";
    },

    async openAftersalesCallForm() {
        const { orm, action } = this.store.env.services;
        const callAction = await orm.call("aftersales.revisit", "action_log_call", [[this.res_id]], {
            context: { aftersales_feedback: this.feedback || false },
        });
        await new Promise((resolve) => action.doAction(callAction, { onClose: resolve }));
        this.store.activityBroadcastChannel?.postMessage({
            type: "RELOAD_CHATTER",
            payload: { id: this.res_id, model: this.res_model },
        });
    },

    async markAsDone(attachmentIds = []) {
        if (!this.isAftersalesFollowUpCall) {
            return super.markAsDone(...arguments);
        }
        await this.openAftersalesCallForm();
    },

    async markAsDoneAndScheduleNext() {
        if (!this.isAftersalesFollowUpCall) {
            return super.markAsDoneAndScheduleNext(...arguments);
        }
        await this.openAftersalesCallForm();
        return false;
    },
});
