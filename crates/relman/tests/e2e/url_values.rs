//! Placeholders in `http` and `webhook` URLs are data of the component they stand in: an
//! argument `../../admin?x=1` in the path stays one segment and adds no query, `a&admin=1` in a
//! query stays one value. Checked on the requests a local recorder received from the binary.

use relman_testkit::recorder::Recorder;

use crate::support::*;

#[test]
fn url_placeholders_cannot_change_the_path_or_the_query() {
    let recorder = Recorder::start();
    let base = recorder.url();
    let fixture = Fixture::new(&format!(
        r#"
[workflow.notify]
args = [{{ name = "x" }}, {{ name = "note" }}]

[[workflow.notify.step]]
http = "POST {base}/hooks/{{args.x}}?note={{args.note}}&v={{version}}"
json = {{ text = "released" }}

[[workflow.notify.step]]
webhook = "{base}/hooks/{{args.x}}/more"
payload = {{ text = "released" }}
"#
    ));
    fixture
        .relman(&["notify", "../../admin?x=1", "a&admin=1"])
        .expect(0);
    let requests = recorder.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_eq!(requests[0].path, "/hooks/..%2F..%2Fadmin%3Fx%3D1");
    assert_eq!(requests[0].query, "note=a%26admin%3D1&v=1.2.3");
    assert_eq!(requests[1].path, "/hooks/..%2F..%2Fadmin%3Fx%3D1/more");
    assert_eq!(requests[1].query, "");
}
