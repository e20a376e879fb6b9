// A date has no time zone: Django's DateTimeShortcuts.js warns "你比服务器时间滞后8个小时"
// under every date input when the browser's clock differs from the server's. Keep the warning
// where it means something (the time inputs) and leave date inputs alone.
'use strict';
{
    const addWarning = window.DateTimeShortcuts && DateTimeShortcuts.addTimezoneWarning;
    if (addWarning) {
        DateTimeShortcuts.addTimezoneWarning = function(inp) {
            if (inp.classList.contains('vDateField')) {
                return;
            }
            return addWarning.call(DateTimeShortcuts, inp);
        };
    }
}
